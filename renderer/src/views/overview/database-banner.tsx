/** A banner across the overview while the hub's database is damaged (the hub is read-only) or its writes fail. */
import type { HubStatusResponse } from '../../../../shared/index.js';

export function DatabaseBanner({ health }: { health: HubStatusResponse['database'] | undefined }) {
  if (health === undefined || health.state === 'healthy') return null;
  const damaged = health.state === 'damaged';
  return (
    <section className={`card database-banner ${damaged ? 'database-damaged' : 'database-failing'}`} role="alert" data-testid="database-banner">
      <h2>{damaged ? 'The database is damaged: the hub is read-only' : 'Writes to the database are failing'}</h2>
      <p>{health.reason}</p>
      <p>
        {damaged
          ? (health.advice ?? 'Restore the newest backup with Restore backup… in the tray menu.')
          : 'Nothing that failed was acknowledged to agents. The hub goes back to normal by itself as soon as a write succeeds.'}
      </p>
    </section>
  );
}
