/**
 * doctor's extra event sources (the slot the credential checks fill): what a check emits is
 * diagnosed with the probes, and a check that throws becomes a warning without stopping doctor.
 */
import { PassThrough } from 'node:stream';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DoctorCheck } from '../../src/cli/doctor/checks.js';
import { runDoctor, type DoctorFlags } from '../../src/cli/doctor/run-doctor.js';
import type { CliIO } from '../../src/cli/outputs/attach.js';
import { addProbeOptions } from '../../src/cli/program.js';
import { startTrustedFront, type TrustedFront } from '../support/trusted-front.js';

let front: TrustedFront;
beforeAll(async () => {
  front = await startTrustedFront();
});
afterAll(async () => {
  await front?.close();
});

async function doctor(
  args: string[],
  checks: DoctorCheck[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const cmd = addProbeOptions(new Command('doctor').option('--json')).exitOverride();
  cmd.parse(args, { from: 'user' });
  const stdout = new PassThrough();
  let text = '';
  stdout.on('data', (d: Buffer) => {
    text += d.toString();
  });
  const stderr = new PassThrough();
  let errText = '';
  stderr.on('data', (d: Buffer) => {
    errText += d.toString();
  });
  const io: CliIO = {
    stdout,
    stderr,
    stdin: new PassThrough(),
    stdoutIsTTY: false,
    env: { ...process.env, NODE_EXTRA_CA_CERTS: '' },
  };
  const code = await runDoctor(cmd.opts<DoctorFlags>(), cmd, io, checks);
  return { code, stdout: text, stderr: errText };
}

const WORDS =
  'Permission "artifactregistry.repositories.uploadArtifacts" denied on resource "projects/proj/locations/us/repositories/repo" (or it may not exist)';

describe('doctor checks', () => {
  it("diagnoses what a credential check emits: a pull-only identity fails doctor in the registry's words", async () => {
    const pullOnly: DoctorCheck = {
      name: 'registry push scope',
      run: async ({ bus, pushTargets }) => {
        bus.emit({
          type: 'auth',
          view: 'registry',
          host: pushTargets[0]!.host,
          ok: false,
          canPush: false,
          identity: 'reader@proj.iam.gserviceaccount.com',
          error: { code: 'auth.denied', category: 'auth', message: WORDS },
        });
      },
    };
    const r = await doctor(
      [
        '--only',
        '--target',
        front.target,
        '--repo',
        `${front.target}/proj/app`,
        '--ca-file',
        front.caFile,
        '--rounds',
        '1',
      ],
      [pullOnly],
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      `1. [auth, high confidence] The registry refuses to let reader@proj.iam.gserviceaccount.com push to 127.0.0.1: "${WORDS}".`,
    );
    expect(r.stdout).toMatch(/verdict: 1 problem\(s\) found; the most likely cause is auth \(auth\.push_denied\)/);
  });

  it('turns a check that throws into a warning, and still runs the probes', async () => {
    const broken: DoctorCheck = {
      name: 'broken',
      run: async () => {
        throw new Error('helper exploded');
      },
    };
    const r = await doctor(
      ['--only', '--target', front.target, '--ca-file', front.caFile, '--rounds', '1', '--json'],
      [broken],
    );
    const doc = JSON.parse(r.stdout);
    expect(r.stderr).toBe('gcrwatch: warning: doctor check broken failed: helper exploded\n');
    expect(doc).toMatchObject({ ok: true, exitCode: 0 });
    expect(doc.targets[0]).toMatchObject({ target: front.target, lastOk: true });
    expect(r.code).toBe(0);
  });
});
