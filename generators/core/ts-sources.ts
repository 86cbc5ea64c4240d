// The TypeScript daemon's sources (templates/project/ts/src/), every one emitted into src/: the
// payload and the reload model are chosen at run time from src/defaults.ts, so that the files of
// one project are the files of every project.
export const TS_SOURCES: readonly string[] = [
  'config.test.ts',
  'config.ts',
  'control.test.ts',
  'control.ts',
  'defaults.ts',
  'echo.test.ts',
  'echo.ts',
  'errstr.ts',
  'listen.ts',
  'main.test.ts',
  'main.ts',
  'path.ts',
  'payload-thread.test.ts',
  'payload-thread.ts',
  'payload-worker.ts',
  'payload.ts',
  'reload.ts',
  'tick.test.ts',
  'tick.ts',
];
