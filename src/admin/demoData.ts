// Demo data for `npm run seed -- --demo`. Fixed emails and tasks make seeding idempotent; the
// passwords are public on purpose (demo accounts only — never use them on a real deployment).

export interface DemoTodo {
  task: string;
  /** One of DEFAULT_CATEGORIES. */
  category: string;
  done: boolean;
}

export interface DemoUser {
  email: string;
  password: string;
  name: string;
  todos: readonly DemoTodo[];
}

export const DEMO_USERS: readonly DemoUser[] = [
  {
    email: "demo1@example.com",
    password: "demo-password-1",
    name: "Demo One",
    todos: [
      { task: "Renew the passport", category: "Urgent", done: false },
      { task: "Pay the electricity bill", category: "Urgent", done: true },
      { task: "Book a dentist appointment", category: "Non-urgent", done: false },
      { task: "Read the PocketBase docs", category: "Non-urgent", done: true },
      { task: "Plan the weekend hike", category: "Non-urgent", done: false },
    ],
  },
  {
    email: "demo2@example.com",
    password: "demo-password-2",
    name: "Demo Two",
    todos: [
      { task: "Fix the production alert", category: "Urgent", done: false },
      { task: "Reply to the landlord", category: "Urgent", done: false },
      { task: "Water the plants", category: "Non-urgent", done: true },
      { task: "Sort the photo library", category: "Non-urgent", done: false },
    ],
  },
];
