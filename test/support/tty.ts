// A real pseudo-terminal for interactive runs: tmux runs the command, send-keys types, capture-pane reads.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export class Terminal {
  private readonly session: string;

  constructor(
    readonly cwd: string,
    command: string,
  ) {
    this.session = `cd-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    // The exit status lands in a file; the pane then stays open long enough to be read.
    const wrapped = `${command}; echo $? > ${join(cwd, '.exit-status')}; sleep 60`;
    execFileSync('tmux', ['new-session', '-d', '-s', this.session, '-x', '200', '-y', '50', '-c', cwd, wrapped], {
      env: { ...process.env, NO_COLOR: '1' },
    });
  }

  screen(): string {
    return execFileSync('tmux', ['capture-pane', '-p', '-t', this.session], { encoding: 'utf8' });
  }

  /** Type keys: literal text, or tmux key names such as Enter, Down, C-c. */
  send(...keys: string[]): void {
    execFileSync('tmux', ['send-keys', '-t', this.session, ...keys]);
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
      execFileSync('tmux', ['kill-session', '-t', this.session], { stdio: 'ignore' });
    } catch {
      // already gone
    }
  }
}
