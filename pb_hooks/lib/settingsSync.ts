// Applies the environment's settings to the engine (JSVM only; see pb_hooks/settings.pb.ts).

const { environmentSettings, holds } = require(`${__hooks}/lib/settings.js`) as typeof import("./settings");

export function applyEnvironmentSettings(app: CoreApp): void {
  const wanted = environmentSettings((name) => $os.getenv(name));
  if (Object.keys(wanted).length === 0) return;
  const settings = app.settings();
  if (holds(JSON.parse(JSON.stringify(settings)), wanted)) return;
  unmarshal(wanted, settings);
  app.save(settings);
}
