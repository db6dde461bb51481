// SPDX-License-Identifier: GPL-2.0-only
import { Flags } from '@oclif/core';
import { KseriesCommand } from '../lib/cli/base-command.js';
import { withExitCodes } from '../lib/cli/describe.js';
import { renderDoctor, runDoctor, type DoctorReport } from '../lib/doctor/doctor.js';
import { infraError } from '../lib/errors.js';

export default class Doctor extends KseriesCommand {
  static override summary = 'Check the host tools the pipeline needs, and whether KVM really works.';
  static override description = withExitCodes(
    'Checks compilers, kernel build tools, QEMU, a static busybox, ndctl and daxctl, and probes KVM with a time limit ' +
      '(a present /dev/kvm can still hang or crawl). Prints one apt-get line for what is missing; --fix runs it (as root). ' +
      'Exits 3 when a required tool is missing.',
  );
  static override examples = ['<%= config.bin %> doctor', '<%= config.bin %> doctor --json', 'sudo <%= config.bin %> doctor --fix'];
  static override flags = {
    fix: Flags.boolean({ summary: 'Install what is missing with apt-get (needs root).' }),
    'no-kvm-probe': Flags.boolean({ summary: 'Skip the KVM probe (it boots QEMU firmware for a few seconds).' }),
  };

  async run(): Promise<DoctorReport> {
    const { flags } = await this.parse(Doctor);
    let report = await runDoctor(this.runner, { kvm: !flags['no-kvm-probe'] });
    if (flags.fix && report.aptInstall) {
      if (process.getuid?.() !== 0) throw infraError('--fix needs root to run apt-get', `Run as root: ${report.aptInstall}`);
      const pkgs = report.aptInstall.split(' ').slice(3);
      const env = { DEBIAN_FRONTEND: 'noninteractive' };
      await this.runner.run({ cmd: 'apt-get', args: ['update', '-qq'], env, buffer: false });
      const r = await this.runner.run({ cmd: 'apt-get', args: ['install', '-y', '-qq', ...pkgs], env });
      if (r.exitCode !== 0) throw infraError(`apt-get install failed (exit ${r.exitCode}): ${r.stderr.trim().split('\n').slice(-3).join(' ')}`);
      report = await runDoctor(this.runner, { kvm: !flags['no-kvm-probe'] });
    }
    this.out(renderDoctor(report));
    if (report.missingRequired.length) {
      this.warn2(`missing required host tools: ${report.missingRequired.join(', ')}`);
      this.verdict('infra');
    }
    return report;
  }
}
