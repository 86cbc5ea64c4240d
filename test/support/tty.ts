// A real pseudo-terminal for interactive runs: tmux runs the command, send-keys types, capture-pane reads.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './cli.js';

export class Terminal {
  private readonly session: string;
  // A tmux server of its own (-S, in a temporary directory of its own): on the shared default server, the last session's end makes the
  // server exit, and a new session started by another test file at that moment fails with "server
  // exited unexpectedly".
  private readonly socket: string;

  constructor(
    readonly cwd: string,
    command: string,
  ) {
    this.session = `cd-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    this.socket = join(tempDir('cd-tmux-'), 'socket');
    // The exit status lands in a file; the pane then stays open long enough to be read.
    const wrapped = `${command}; echo $? > ${join(cwd, '.exit-status')}; sleep 60`;
    execFileSync(
      'tmux',
      ['-S', this.socket, 'new-session', '-d', '-s', this.session, '-x', '200', '-y', '50', '-c', cwd, wrapped],
      {
        env: { ...process.env, NO_COLOR: '1' },
      },
    );
  }

  screen(): string {
    return execFileSync('tmux', ['-S', this.socket, 'capture-pane', '-p', '-t', this.session], { encoding: 'utf8' });
  }

  /** Type keys: literal text, or tmux key names such as Enter, Down, C-c. */
  send(...keys: string[]): void {
    execFileSync('tmux', ['-S', this.socket, 'send-keys', '-t', this.session, ...keys]);
  }

  async waitFor(pattern: RegExp, timeoutMs = 20_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const text = this.screen();
      if (pattern.test(text)) return text;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; screen:\n${text}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Answer the current prompt once its question is on screen. */
  async answer(question: RegExp, ...keys: string[]): Promise<void> {
    await this.waitFor(new RegExp(`\\? ${question.source}`));
    this.send(...keys);
    await this.waitFor(new RegExp(`✔ ${question.source}`));
  }

  async exitStatus(timeoutMs = 30_000): Promise<number> {
    const file = join(this.cwd, '.exit-status');
    const deadline = Date.now() + timeoutMs;
    while (!existsSync(file) || readFileSync(file, 'utf8') === '') {
      if (Date.now() > deadline) throw new Error(`no exit status; screen:\n${this.screen()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return Number(readFileSync(file, 'utf8').trim());
  }

  close(): void {
    try {
      execFileSync('tmux', ['-S', this.socket, 'kill-server'], { stdio: 'ignore' });
    } catch {
      // already gone
    }
    rmSync(join(this.socket, '..'), { recursive: true, force: true });
  }
}
