import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Annotations } from 'aws-cdk-lib/assertions';
import { PROJECT_ROOT } from './bundling.js';
import { createLeadflowApp } from './leadflow-app.js';
import type { LeadflowStack } from './leadflow-stack.js';

/** One finding in CDK's validation report (cdk-nag, CloudFormation rules, annotations). */
export interface ValidationViolation {
  ruleName: string;
  description: string;
  severity: string;
  violatingConstructs: { constructPath?: string }[];
}

/** A plugin's section of CDK's validation report, with what it found and what was acknowledged. */
export interface PluginReport {
  pluginName: string;
  violations: ValidationViolation[];
  suppressedViolations: (ValidationViolation & { acknowledgedAt?: string; reason?: string })[];
}

/** The stack as `cdk synth` produces it, for assertions. */
export interface SynthesizedLeadflow {
  stack: LeadflowStack;
  /** The CloudFormation template as JSON. */
  template: Record<string, unknown>;
  /** The stack's annotations (CDK's own warnings and errors), collected before the output is deleted. */
  annotations: Annotations;
  /** Every validation plugin's findings, cdk-nag's AwsSolutions pack among them. */
  validationReports: PluginReport[];
}

/**
 * Synthesizes the Leadflow app the way `cdk synth` does (same entry, same `cdk.json` context, cdk-nag
 * attached, functions bundled) into a temporary directory, and returns what tests assert on. `extend`
 * may add constructs to the stack first. Synthesis bundles every function, so call it once per test file.
 */
export function synthesizeLeadflow(extend?: (stack: LeadflowStack) => void): SynthesizedLeadflow {
  const cdkJson = JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };
  const outdir = mkdtempSync(join(tmpdir(), 'leadflow-synth-'));
  try {
    const { app, stack } = createLeadflowApp({
      outdir,
      // Findings are returned to the caller to assert on, rather than thrown by synth.
      context: { ...cdkJson.context, '@aws-cdk/core:failSynthOnValidationErrors': false },
    });
    extend?.(stack);
    const assembly = app.synth();
    const template = assembly.getStackArtifact(stack.artifactId).template as Record<string, unknown>;
    const report = JSON.parse(readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8')) as {
      pluginReports?: PluginReport[];
    };
    return { stack, template, annotations: Annotations.fromStack(stack), validationReports: report.pluginReports ?? [] };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
