// The suite as our reports see it, built from Cucumber's message stream.
// Envelopes may come from one run, from the shards of a CI matrix, or from a
// run and its reruns: scenarios are keyed by where they are written
// (uri:line), so the same scenario in two streams is one scenario, and its
// last attempt (by start time, then by arrival) is the one reported.
import type * as messages from '@cucumber/messages';
import type { Hop } from '../trace/hop';

export const HOPS_MEDIA_TYPE = 'application/x.offload-spec.hops+json';
export const STATE_MEDIA_TYPE = 'application/x.offload-spec.state+json';

/** One action of a scenario (a When, or the daemon starting) and its hop tree. */
export interface ActionTrace {
  label: string;
  setup: boolean;
  roots: Hop[];
}

/** The host after a scenario: what `run --json` calls `state`. */
export interface HostStateJson {
  tcFilters: { dev: string; block: number; chain: number; prio: number; protocol: number; handle: number; kind: string; flags: number; in_hw_count: number; flagsText?: string }[];
  ftes: { device: string; table: number; table_type: number | string; group: number; index: number; match?: unknown; actions?: unknown; destinations?: unknown }[];
  datapathFlows: { dp: string; ufid: string; key: string; mask: string; actions: string }[];
}

export type Status = 'PASSED' | 'FAILED' | 'PENDING' | 'UNDEFINED' | 'AMBIGUOUS' | 'SKIPPED' | 'UNKNOWN';

export interface StepRun {
  keyword: string;
  text: string;
  status: Status;
  message?: string;
}

export interface ScenarioRun {
  /** `uri:line`, stable across runs and shards. */
  key: string;
  uri: string;
  line: number;
  feature: string;
  name: string;
  tags: string[];
  attempt: number;
  status: Status;
  steps: StepRun[];
  actions: ActionTrace[];
  state?: HostStateJson;
  /** Start time in ms since the epoch, to pick the last attempt. */
  startedAt: number;
}

export interface Suite {
  /** Scenarios in feature-file order, then line order. */
  scenarios: ScenarioRun[];
  features: { uri: string; name: string; description: string }[];
}

const STATUS_RANK: Status[] = ['PASSED', 'SKIPPED', 'PENDING', 'UNDEFINED', 'AMBIGUOUS', 'FAILED', 'UNKNOWN'];

function worse(a: Status, b: Status): Status {
  return STATUS_RANK.indexOf(b) > STATUS_RANK.indexOf(a) ? b : a;
}

function ms(t: messages.Timestamp | undefined): number {
  return t ? t.seconds * 1000 + t.nanos / 1e6 : 0;
}

function decode(a: messages.Attachment): string {
  return a.contentEncoding === 'BASE64' ? Buffer.from(a.body, 'base64').toString('utf8') : a.body;
}

interface Attempt {
  run: ScenarioRun;
  order: number;
  stepIds: Map<string, number>;
}

/** Builds a Suite from envelopes pushed in stream order; one per stream, or one for many streams. */
export class SuiteCollector {
  private readonly pickles = new Map<string, messages.Pickle>();
  private readonly testCases = new Map<string, messages.TestCase>();
  private readonly stepKeywords = new Map<string, string>();
  private readonly nodeLines = new Map<string, number>();
  private readonly features = new Map<string, { uri: string; name: string; description: string }>();
  private readonly attempts = new Map<string, Attempt>();
  private readonly latest = new Map<string, Attempt>();
  private order = 0;

  /** Starts a new stream: message ids are only unique within one run. */
  nextStream(): void {
    this.pickles.clear();
    this.testCases.clear();
    this.stepKeywords.clear();
    this.nodeLines.clear();
    this.attempts.clear();
  }

  push(e: messages.Envelope): void {
    if (e.gherkinDocument) this.onDocument(e.gherkinDocument);
    else if (e.pickle) this.pickles.set(e.pickle.id, e.pickle);
    else if (e.testCase) this.testCases.set(e.testCase.id, e.testCase);
    else if (e.testCaseStarted) this.onStarted(e.testCaseStarted);
    else if (e.testStepFinished) this.onStepFinished(e.testStepFinished);
    else if (e.attachment) this.onAttachment(e.attachment);
  }

  private onDocument(doc: messages.GherkinDocument): void {
    const f = doc.feature;
    if (!doc.uri || !f) return;
    this.features.set(doc.uri, { uri: doc.uri, name: f.name, description: f.description.trim() });
    const scenario = (s: messages.Scenario): void => {
      this.nodeLines.set(s.id, s.location.line);
      for (const st of s.steps) this.stepKeywords.set(st.id, st.keyword.trim());
      for (const ex of s.examples) for (const row of ex.tableBody) this.nodeLines.set(row.id, row.location.line);
    };
    const background = (b: messages.Background): void => {
      for (const st of b.steps) this.stepKeywords.set(st.id, st.keyword.trim());
    };
    for (const c of f.children) {
      if (c.scenario) scenario(c.scenario);
      if (c.background) background(c.background);
      for (const rc of c.rule?.children ?? []) {
        if (rc.scenario) scenario(rc.scenario);
        if (rc.background) background(rc.background);
      }
    }
  }

  private onStarted(s: messages.TestCaseStarted): void {
    const tc = this.testCases.get(s.testCaseId);
    const p = tc && this.pickles.get(tc.pickleId);
    if (!tc || !p) return;
    // An example row's line names the scenario; else the scenario's own line.
    const line = p.location?.line ?? this.nodeLines.get(p.astNodeIds[p.astNodeIds.length - 1]!) ?? 0;
    const stepIds = new Map<string, number>();
    const steps: StepRun[] = [];
    for (const ts of tc.testSteps) {
      if (!ts.pickleStepId) continue;
      const ps = p.steps.find((x) => x.id === ts.pickleStepId);
      if (!ps) continue;
      stepIds.set(ts.id, steps.length);
      steps.push({ keyword: this.stepKeywords.get(ps.astNodeIds[0]!) ?? '*', text: ps.text, status: 'UNKNOWN' });
    }
    const run: ScenarioRun = {
      key: `${p.uri}:${line}`, uri: p.uri, line,
      feature: this.features.get(p.uri)?.name ?? p.uri,
      name: p.name, tags: p.tags.map((t) => t.name), attempt: s.attempt,
      status: 'UNKNOWN', steps, actions: [], startedAt: ms(s.timestamp),
    };
    const a: Attempt = { run, order: this.order++, stepIds };
    this.attempts.set(s.id, a);
    const prev = this.latest.get(run.key);
    if (!prev || prev.run.startedAt <= run.startedAt) this.latest.set(run.key, a);
  }

  private onStepFinished(f: messages.TestStepFinished): void {
    const a = this.attempts.get(f.testCaseStartedId);
    if (!a) return;
    const status = f.testStepResult.status as Status;
    const i = a.stepIds.get(f.testStepId);
    if (i !== undefined) {
      const st = a.run.steps[i]!;
      st.status = status;
      if (f.testStepResult.message) st.message = f.testStepResult.message;
    } else if (status === 'FAILED' && f.testStepResult.message) {
      // a hook failed: show it as a step of its own
      a.run.steps.push({ keyword: 'Hook', text: '', status, message: f.testStepResult.message });
    }
    a.run.status = a.run.status === 'UNKNOWN' ? status : worse(a.run.status, status);
  }

  private onAttachment(att: messages.Attachment): void {
    const a = att.testCaseStartedId ? this.attempts.get(att.testCaseStartedId) : undefined;
    if (!a) return;
    if (att.mediaType === HOPS_MEDIA_TYPE) {
      const v = JSON.parse(decode(att)) as { label: string; roots: Hop[]; setup?: boolean };
      a.run.actions.push({ label: v.label, setup: v.setup === true, roots: v.roots });
    } else if (att.mediaType === STATE_MEDIA_TYPE) {
      a.run.state = JSON.parse(decode(att)) as HostStateJson;
    }
  }

  suite(): Suite {
    const scenarios = [...this.latest.values()]
      .map((a) => a.run)
      .sort((x, y) => x.uri.localeCompare(y.uri) || x.line - y.line);
    const uris = new Set(scenarios.map((s) => s.uri));
    const features = [...this.features.values()].filter((f) => uris.has(f.uri)).sort((a, b) => a.uri.localeCompare(b.uri));
    return { scenarios, features };
  }
}

/** Parses newline-delimited JSON envelopes (a `message` formatter's file). */
export function parseNdjson(text: string, source = 'messages'): messages.Envelope[] {
  const out: messages.Envelope[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      out.push(JSON.parse(line) as messages.Envelope);
    } catch (e) {
      throw new Error(`${source}:${i + 1}: not a JSON message (${e instanceof Error ? e.message : String(e)})`);
    }
  });
  return out;
}

/** One Suite from several message streams (shards, reruns), in the order given. */
export function mergeStreams(streams: readonly (readonly messages.Envelope[])[]): Suite {
  const c = new SuiteCollector();
  for (const s of streams) {
    c.nextStream();
    for (const e of s) c.push(e);
  }
  return c.suite();
}
