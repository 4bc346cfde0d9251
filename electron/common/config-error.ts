/** The error for settings that do not hold: from settings.json, flags, or the settings page. */
/** Raised with every problem found, so a person fixes their settings in one go. */
export class ConfigError extends Error {
  readonly problems: string[];
  /** The setting each problem is about, in step with `problems`; none for a problem with the file itself. */
  readonly #keys: readonly (string | undefined)[];

  constructor(problems: string[], keys: readonly (string | undefined)[] = []) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
    this.#keys = keys;
  }

  /** The problems by setting, for a form that shows each next to its field (a setting's problems joined by "; "). */
  get fields(): Record<string, string> {
    const fields: Record<string, string> = {};
    this.problems.forEach((message, i) => {
      const key = this.#keys[i];
      if (key !== undefined) fields[key] = fields[key] === undefined ? message : `${fields[key]}; ${message}`;
    });
    return fields;
  }
}
