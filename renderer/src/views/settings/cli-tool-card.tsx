/**
 * The `switchboard` command: inside the desktop app, Install/Remove command-line tool through the preload
 * bridge, with the MCP config that names the installed command by its absolute path; in a browser, how to install it with npm.
 */
import { useEffect, useRef, useState } from 'react';
import type { CliToolStatus } from '../../../../shared/desktop-bridge.js';
import { CopyButton } from '../agents/copy-button.js';
import { mcpStdioConfig } from './mcp-config.js';

function DesktopCliTool() {
  const bridge = window.switchboard;
  const [tool, setTool] = useState<CliToolStatus | undefined>(undefined);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const snippet = useRef<HTMLPreElement>(null);
  useEffect(() => {
    void bridge?.cliTool().then(setTool, (error: Error) => setProblem(error.message));
  }, [bridge]);
  if (bridge === undefined || tool === undefined) return problem === undefined ? null : <p className="error-text">{problem}</p>;
  const change = async (): Promise<void> => {
    setProblem(undefined);
    try {
      setTool(tool.installed ? await bridge.removeCliTool() : await bridge.installCliTool());
    } catch (error) {
      setProblem((error as Error).message.replace(/^Error invoking remote method '[^']+': (Error: )?/, ''));
    }
  };
  const config = mcpStdioConfig(tool.path);
  return (
    <>
      <p className="toolbar">
        <button type="button" className={tool.installed ? undefined : 'primary'} onClick={() => void change()}>
          {tool.installed ? 'Remove command-line tool' : 'Install command-line tool'}
        </button>
        <span className="mono settings-path" data-testid="cli-tool-path">
          {tool.path}
        </span>
        <span className="muted">{tool.installed ? 'installed' : tool.conflict === true ? 'another command is there' : 'not installed'}</span>
      </p>
      {problem === undefined ? null : <p className="error-text">{problem}</p>}
      {tool.installed && !tool.onPath ? (
        <p className="muted">
          {tool.folder} is not on your PATH: add it in your shell's profile (<code>export PATH="{tool.folder}:$PATH"</code>), then open a new terminal.
        </p>
      ) : null}
      {tool.installed ? (
        <>
          <p>For a coding assistant that launches MCP servers (stdio), with the hub running:</p>
          <pre className="command" ref={snippet}>
            {config}
          </pre>
          <p className="toolbar">
            <CopyButton text={config} label="Copy the MCP config" source={snippet} />
          </p>
        </>
      ) : null}
    </>
  );
}

export function CliToolCard() {
  return (
    <section className="card settings-group" aria-labelledby="settings-cli-tool" data-testid="settings-cli-tool">
      <h2 id="settings-cli-tool">Command-line tool</h2>
      <p>
        The <code>switchboard</code> command runs the hub headless, sends and tails messages, makes tokens and backups, and serves MCP on stdio. The desktop
        app's command runs on the app itself; one installed with npm runs on the Node on your PATH.
      </p>
      {window.switchboard === undefined ? (
        <p>
          Install it with npm from a Switchboard checkout (<code>npm install -g .</code>) or a packed tarball (
          <code>npm install -g ./switchboard-0.1.0.tgz</code>).
        </p>
      ) : (
        <DesktopCliTool />
      )}
    </section>
  );
}
