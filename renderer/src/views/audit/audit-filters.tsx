/** The audit log's filters: kind (a family or one kind), actor, subject and any text in the entry. */
import { KIND_GROUPS, type AuditFilter } from './audit-model.js';

interface AuditFiltersProps {
  filter: AuditFilter;
  onFilter(next: AuditFilter): void;
  kinds: readonly string[];
}

export function AuditFilters({ filter, onFilter, kinds }: AuditFiltersProps) {
  const blank = filter.kind === '' && filter.actor === '' && filter.subject === '' && filter.text === '';
  return (
    <form className="toolbar audit-filters" role="search" aria-label="Filter the audit log" onSubmit={(event) => event.preventDefault()}>
      <label>
        Kind{' '}
        <select value={filter.kind} onChange={(event) => onFilter({ ...filter, kind: event.target.value })}>
          <option value="">any</option>
          <optgroup label="Families">
            {KIND_GROUPS.map((group) => (
              <option key={group.value} value={group.value}>
                {group.label}
              </option>
            ))}
          </optgroup>
          <optgroup label="Kinds seen">
            {kinds.map((kind) => (
              <option key={kind} value={kind}>
                {kind}
              </option>
            ))}
          </optgroup>
        </select>
      </label>
      <label>
        Actor <input type="search" value={filter.actor} size={12} placeholder="any" onChange={(event) => onFilter({ ...filter, actor: event.target.value })} />
      </label>
      <label>
        Subject{' '}
        <input type="search" value={filter.subject} size={14} placeholder="any" onChange={(event) => onFilter({ ...filter, subject: event.target.value })} />
      </label>
      <label>
        Text{' '}
        <input type="search" value={filter.text} size={18} placeholder="any field" onChange={(event) => onFilter({ ...filter, text: event.target.value })} />
      </label>
      <button type="button" disabled={blank} onClick={() => onFilter({ kind: '', actor: '', subject: '', text: '' })}>
        Clear filters
      </button>
    </form>
  );
}
