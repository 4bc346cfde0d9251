/** A filter drop-down: "All …" first, then the values seen; an empty value means no filter. */
export interface ChoiceFilterProps {
  label: string;
  allLabel: string;
  value: string;
  choices: readonly string[];
  onChange(value: string): void;
  testId: string;
}

export function ChoiceFilter({ label, allLabel, value, choices, onChange, testId }: ChoiceFilterProps) {
  return (
    <select value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId} aria-label={label}>
      <option value="">{allLabel}</option>
      {choices.map((choice) => (
        <option key={choice} value={choice}>
          {choice}
        </option>
      ))}
    </select>
  );
}
