/** Progress reporting for long engine steps; tests pass a silent or collecting logger. */
export type Logger = (line: string) => void;

export const consoleLogger: Logger = (line) => console.error(line);
export const silentLogger: Logger = () => {};
