/** What a view shows when it has nothing yet: what that means and what to do next. */
import type { ReactNode } from 'react';

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty-state" role="status">
      <h3>{title}</h3>
      {children === undefined ? null : <div className="empty-hint">{children}</div>}
    </div>
  );
}
