/**
 * Saves the whole audit trail (`/api/audit/export`, JSON Lines) as a file. Fetched rather than linked, so
 * a failure shows as the hub's error in the view instead of a broken download.
 */
import { httpRoutes } from '../../../../shared/index.js';
import { hubAccess, HubRequestError, refusal } from '../../api/http.js';

export async function downloadAuditExport(): Promise<void> {
  const { httpBase } = hubAccess();
  const headers: Record<string, string> = { accept: 'application/x-ndjson' };
  let response: Response;
  try {
    response = await fetch(new URL(httpRoutes.auditExport.path, httpBase), { headers, credentials: 'same-origin' });
  } catch {
    throw new HubRequestError(0, 'SB_ERR_UNREACHABLE', 'the hub is not reachable');
  }
  if (!response.ok) throw refusal(response, await response.json().catch(() => undefined));
  const url = URL.createObjectURL(await response.blob());
  try {
    const link = document.createElement('a');
    link.href = url;
    link.download = `switchboard-audit-${new Date().toISOString().replace(/[:.]/g, '-')}.jsonl`;
    document.body.append(link);
    link.click();
    link.remove();
  } finally {
    // The click has handed the blob to the download; a moment later the URL is no longer needed.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}
