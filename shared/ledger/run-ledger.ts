import type { AttributeValue, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { loadDynamoDbSdk } from "../aws";
import { StateAttribute } from "../state";
import {
  DEFAULT_RUN_RETENTION_DAYS,
  deltaOf,
  isSettled,
  NO_RECORDS,
  outcomeOf,
  RUN_SK,
  runIndexPk,
  runIndexSk,
  runPk,
  tally,
  unitSk,
  type RecordCounts,
  type RunOutcome,
  type RunSummary,
  type UnitCounts,
  type UnitKind,
  type UnitRecord,
  type UnitState,
} from "./model";
import { type RunStatus, runStatusOf } from "./run-status";

/** Which run a unit belongs to. */
export interface RunRef {
  integration: string;
  connector: string;
  runId: string;
}

/** One message of a run. */
export interface UnitRef extends RunRef {
  unitId: string;
  kind: UnitKind;
  /** The message type; kept on the run when the unit is its root. */
  type?: string;
}

/** Told once per run outcome reached (the invocation whose conditional write moved the outcome). */
export type RunFinishedListener = (status: RunStatus, summary: RunSummary) => Promise<void>;

export interface RunLedgerOptions {
  tableName: string;
  client: () => Promise<DynamoDBClient>;
  /** Clock in ms, for tests. */
  now?: () => number;
  retentionDays?: number;
  onFinished?: RunFinishedListener;
  /** Counts every DynamoDB request by command name (tests, benchmarks). */
  onRequest?: (command: string) => void;
}

/** A window a run synced, as the connector describes it. */
export interface RunWindow {
  from: string;
  to: string;
}

type Item = Record<string, AttributeValue>;

const UNIT_COUNTERS = [
  "pagesPlanned",
  "pagesDone",
  "pagesDeadLettered",
  "listingPlanned",
  "listingDone",
  "listingDeadLettered",
] as const satisfies readonly (keyof UnitCounts)[];
const RECORD_COUNTERS = ["read", "written", "skipped", "failed"] as const satisfies readonly (keyof RecordCounts)[];
/** Longest error text kept on a unit and a run. */
const MAX_ERROR_TEXT = 500;

const s = (value: string): AttributeValue => ({ S: value });
const n = (value: number): AttributeValue => ({ N: String(value) });
const str = (item: Item | undefined, name: string): string | undefined => item?.[name]?.S;
const num = (item: Item | undefined, name: string): number => Number(item?.[name]?.N ?? 0) || 0;
const recordsOf = (item: Item | undefined): RecordCounts => ({
  read: num(item, "read"),
  written: num(item, "written"),
  skipped: num(item, "skipped"),
  failed: num(item, "failed"),
});
const unitCountsOf = (item: Item | undefined): UnitCounts => Object.fromEntries(UNIT_COUNTERS.map((name) => [name, num(item, name)])) as unknown as UnitCounts;
const anyOf = (counts: UnitCounts): boolean => UNIT_COUNTERS.some((k) => counts[k] !== 0);
const isConditionFailure = (error: unknown) => (error as Error)?.name === "ConditionalCheckFailedException";
const cut = (text: string) => (text.length > MAX_ERROR_TEXT ? `${text.slice(0, MAX_ERROR_TEXT - 1)}…` : text);

/** A run summary from its summary item. */
/** The run item's attribute that every counter move bumps (finish() writes only on the revision it read). */
const REVISION = "revision";
/** Tallies finish() takes before leaving the run to the invocation whose counter move comes last. */
const FINISH_ATTEMPTS = 5;
/** A unit's item its own open created: not in the run's planned count yet (its settle adds it). */
const UNCOUNTED = "uncounted";
/** When a unit's open created its item (a root's is the run's start). */
const OPENED_AT = "openedAt";
/** BatchGetItem's limit of keys per request (DynamoDB API reference, BatchGetItem). */
const BATCH_GET_MAX_KEYS = 100;

export const summaryOf = (item: Item): RunSummary => ({
  integration: str(item, "integration") ?? "",
  connector: str(item, "connector") ?? "",
  runId: str(item, "runId") ?? "",
  rootType: str(item, "rootType"),
  outcome: (str(item, "outcome") ?? "running") as RunOutcome,
  startedAt: str(item, "startedAt") ?? "",
  finishedAt: str(item, "finishedAt"),
  windowFrom: str(item, "windowFrom"),
  windowTo: str(item, "windowTo"),
  units: unitCountsOf(item),
  records: recordsOf(item),
  lastError: str(item, "lastError"),
});

const unitOf = (item: Item): UnitRecord => ({
  id: (str(item, StateAttribute.sk) ?? "").slice("unit#".length),
  kind: (str(item, "kind") ?? "page") as UnitKind,
  state: (str(item, "state") ?? "open") as UnitState,
  records: recordsOf(item),
  error: str(item, "error"),
});

/**
 * The run ledger (docs/ledger.md) in the stack's state table: one partition per run holding its
 * summary item (`sk = run`) and one item per unit (`sk = unit#<envelope id>`), plus an index item
 * per run in its connector's partition (`sk = <startedAt>#<runId>`) for `ops runs` / `ops status`.
 *
 * Exactness under at-least-once delivery: every unit transition is ONE conditional write on the
 * unit's item (open -> done | dead, dead -> done; a new unit only if absent). Only the invocation
 * whose write succeeded moves the run's counters (one ADD), so a page delivered three times counts
 * once (a unit its own open created is planned by that winning write too). When the counters say
 * every unit is settled, the final state is re-derived from the unit items (a consistent Query) and
 * written with a condition on the previous outcome and the revision of the counters' own move:
 * exactly one invocation moves a run to each outcome, and only it tells
 * {@link RunLedgerOptions.onFinished}. A one-message run costs 6 requests (docs/ledger.md "Cost").
 */
export class RunLedger {
  private readonly now: () => number;
  private readonly retentionSeconds: number;

  constructor(private readonly options: RunLedgerOptions) {
    this.now = options.now ?? Date.now;
    this.retentionSeconds = (options.retentionDays ?? DEFAULT_RUN_RETENTION_DAYS) * 86_400;
  }

  private async send<T>(command: { constructor: { name: string } }): Promise<T> {
    this.options.onRequest?.(command.constructor.name);
    const client = await this.options.client();
    return (await client.send(command as never)) as T;
  }

  private expiresAt(): AttributeValue {
    return n(Math.floor(this.now() / 1000) + this.retentionSeconds);
  }

  private key(pk: string, sk: string): Item {
    return { [StateAttribute.pk]: s(pk), [StateAttribute.sk]: s(sk) };
  }

  /**
   * Creates a unit's item as `open` if it has none; true when this call created it (only then may
   * planned move). `opened`: the unit's own open, which leaves its planned count to its settle.
   */
  private async putUnit(unit: UnitRef, opened = false): Promise<boolean> {
    const { PutItemCommand } = await loadDynamoDbSdk();
    try {
      await this.send(
        new PutItemCommand({
          TableName: this.options.tableName,
          Item: {
            ...this.key(runPk(unit.integration, unit.connector, unit.runId), unitSk(unit.unitId)),
            kind: s(unit.kind),
            state: s("open"),
            ...(opened ? { [UNCOUNTED]: { BOOL: true }, [OPENED_AT]: s(new Date(this.now()).toISOString()) } : {}),
            [StateAttribute.expiresAt]: this.expiresAt(),
          },
          ConditionExpression: "attribute_not_exists(#pk)",
          ExpressionAttributeNames: { "#pk": StateAttribute.pk },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /**
   * Puts the children's unit items (at once): the planned counts of those this call created, and
   * the first put that failed, if any. Never rejects: a child this call created must reach the
   * counters even when a sibling's put failed (that sibling registers itself: its own settle
   * creates its item and plans it).
   */
  private async putChildren(run: RunRef, children: readonly { unitId: string; kind: UnitKind }[]): Promise<{ planned: UnitCounts; error?: unknown }> {
    const planned: UnitCounts = { pagesPlanned: 0, pagesDone: 0, pagesDeadLettered: 0, listingPlanned: 0, listingDone: 0, listingDeadLettered: 0 };
    const puts = await Promise.allSettled(children.map((child) => this.putUnit({ ...run, ...child })));
    const failed = puts.find((put) => put.status === "rejected");
    children.forEach((child, i) => {
      const put = puts[i];
      if (put?.status === "fulfilled" && put.value) planned[child.kind === "page" ? "pagesPlanned" : "listingPlanned"] += 1;
    });
    return failed ? { planned, error: failed.reason } : { planned };
  }

  /**
   * Records that a unit exists (its message has started), if it is new: one conditional put of its
   * item, marked uncounted. Its settle, the one transition that wins on that item, adds it to the
   * run's planned count together with its outcome (one run update where there were two), and a
   * root's settle starts the run: its start time (this open's), its type and its index entry (or
   * the finish's entry, when that settle finishes the run). docs/ledger.md "Where the runtime writes".
   */
  async open(unit: UnitRef): Promise<void> {
    await this.putUnit(unit, true);
  }

  /** Registers messages a unit enqueued, on their own (the runtime passes them to {@link settle} instead, one run update fewer). */
  async plan(run: RunRef, children: readonly { unitId: string; kind: UnitKind }[]): Promise<void> {
    const { planned, error } = await this.putChildren(run, children);
    if (anyOf(planned)) await this.moveRun(run, { units: planned, records: NO_RECORDS }, {});
    if (error !== undefined) throw error;
  }

  /**
   * Settles a unit: `done` (its message succeeded) or `dead` (dead-lettered, by the runtime or by
   * SQS's redrive policy after the last receive), with the records its attempt counted, after
   * registering the messages it enqueued (`children`: before the unit settles, so the run cannot
   * look finished in between; their planned counts ride on the same run update). A duplicate (the
   * unit is already in that state, or done) changes nothing for the unit and returns false.
   */
  async settle(
    unit: UnitRef,
    state: "done" | "dead",
    records: RecordCounts,
    extras: { error?: string; window?: RunWindow; children?: readonly { unitId: string; kind: UnitKind }[] } = {},
  ): Promise<boolean> {
    // The children's items first, then the unit's transition: a re-count (another unit's finish)
    // that sees this unit settled must also see every child it enqueued, or a run whose parent is
    // counted only at its settle would look finished with a child not yet registered (a sibling
    // settling between this transition and a child's put). Their planned counts then ride on the
    // unit's run update.
    const put = extras.children?.length ? await this.putChildren(unit, extras.children) : undefined;
    const { UpdateItemCommand } = await loadDynamoDbSdk();
    const names: Record<string, string> = { "#pk": StateAttribute.pk, "#state": "state", "#kind": "kind", "#exp": StateAttribute.expiresAt };
    const values: Item = { ":to": s(state), ":kind": s(unit.kind), ":exp": this.expiresAt() };
    names["#uncounted"] = UNCOUNTED;
    const sets = ["#state = :to", "#kind = if_not_exists(#kind, :kind)", "#exp = :exp"];
    for (const name of RECORD_COUNTERS) {
      names[`#${name}`] = name;
      values[`:${name}`] = n(records[name]);
      sets.push(`#${name} = :${name}`);
    }
    if (extras.error !== undefined) {
      names["#error"] = "error";
      values[":error"] = s(cut(extras.error));
      sets.push("#error = :error");
    }
    // done: from anything but done; dead: only from open (or absent: the unit was never opened).
    let condition = "attribute_not_exists(#pk) OR #state <> :to";
    if (state === "dead") {
      values[":open"] = s("open");
      condition = "attribute_not_exists(#pk) OR #state = :open";
    }
    let old: Item | undefined;
    let refused: unknown;
    try {
      const result = await this.send<{ Attributes?: Item }>(
        new UpdateItemCommand({
          TableName: this.options.tableName,
          Key: this.key(runPk(unit.integration, unit.connector, unit.runId), unitSk(unit.unitId)),
          UpdateExpression: `SET ${sets.join(", ")} REMOVE #uncounted`,
          ConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: "ALL_OLD",
        }),
      );
      old = result.Attributes;
    } catch (error) {
      refused = error ?? new Error("the unit's update failed");
    }
    if (refused !== undefined) {
      // A duplicate (or a failed write, logged by the runtime): the unit stays, but children this
      // call created still count as planned (nothing else would plan them: their items exist now).
      if (put && anyOf(put.planned)) await this.moveRun(unit, { units: put.planned, records: NO_RECORDS }, {});
      if (!isConditionFailure(refused)) throw refused;
      if (put?.error !== undefined) throw put.error;
      return false;
    }
    // The unit's transition is written: its delta must reach the run's counters even if a child's
    // put failed (no redelivery could add it later: the unit is no longer open). The error is
    // rethrown after (the runtime logs and counts it); a child whose put failed registers itself
    // when it settles (docs/ledger.md "What is not exact").
    // A unit its own open created (uncounted) is new to the counters, as one never opened is.
    const counted = old?.state?.S !== undefined && old[UNCOUNTED]?.BOOL !== true;
    const from = counted && old?.state?.S ? { state: old.state.S as UnitState, records: recordsOf(old) } : undefined;
    const kind = (old?.kind?.S as UnitKind | undefined) ?? unit.kind;
    const delta = deltaOf(kind, from, { state, records });
    if (put) for (const k of UNIT_COUNTERS) delta.units[k] += put.planned[k];
    const root = unit.unitId === unit.runId;
    // The root's first settle starts the run: its type and the time its open wrote on its item.
    const starts = root && (from === undefined || from.state === "open");
    const run = await this.moveRun(unit, delta, {
      error: state === "dead" ? extras.error : undefined,
      window: extras.window,
      ...(starts ? { root: unit.type ?? "", startedAt: str(old, OPENED_AT) } : {}),
    });
    if (put?.error !== undefined) throw put.error;
    // The run item as of this move (ALL_NEW) is the finish's first read: no GetItem. A run whose
    // root is not counted yet (no root type: the root's settle sets it in the move that counts it)
    // cannot be finished: its pages settling before it would each pay a re-count Query for nothing.
    const outcomeMoved = isSettled(unitCountsOf(run)) && run.rootType !== undefined && (await this.finish(unit, run));
    // A root's first settle lists the run in its connector's index (`ops runs`), unless this call
    // finished it (the finish wrote the entry). From open only: a redriven root's entry exists.
    if (!outcomeMoved && starts) await this.putIndex(summaryOf(run), { ifAbsent: true });
    return true;
  }

  /** Adds a transition's delta to the run's counters (creating the summary item if needed); returns the new item. */
  private async moveRun(
    run: RunRef,
    delta: { units: UnitCounts; records: RecordCounts },
    extras: { root?: string | undefined; startedAt?: string | undefined; error?: string | undefined; window?: RunWindow | undefined },
  ): Promise<Item> {
    const { UpdateItemCommand } = await loadDynamoDbSdk();
    const names: Record<string, string> = {
      "#exp": StateAttribute.expiresAt,
      "#started": "startedAt",
      "#outcome": "outcome",
      "#integration": "integration",
      "#connector": "connector",
      "#runId": "runId",
    };
    const values: Item = {
      ":exp": this.expiresAt(),
      ":started": s(extras.startedAt ?? new Date(this.now()).toISOString()),
      ":running": s("running"),
      ":integration": s(run.integration),
      ":connector": s(run.connector),
      ":runId": s(run.runId),
    };
    const sets = [
      "#exp = :exp",
      // The root's open time wins over a start a child's earlier move set (that child ran while the root was open).
      extras.startedAt === undefined ? "#started = if_not_exists(#started, :started)" : "#started = :started",
      "#outcome = if_not_exists(#outcome, :running)",
      "#integration = :integration",
      "#connector = :connector",
      "#runId = :runId",
    ];
    const adds: string[] = [];
    const counters: [string, number][] = [
      ...UNIT_COUNTERS.map((k) => [k, delta.units[k]] as [string, number]),
      ...RECORD_COUNTERS.map((k) => [k, delta.records[k]] as [string, number]),
    ];
    for (const [name, by] of counters) {
      names[`#${name}`] = name;
      // ADD of 0 creates the counter, so every summary item has all of them.
      values[`:${name}`] = n(by);
      adds.push(`#${name} :${name}`);
    }
    // Every counter move bumps the revision: finish() writes only if none happened since it read.
    names["#rev"] = REVISION;
    values[":one"] = n(1);
    adds.push("#rev :one");
    if (extras.root !== undefined) {
      names["#root"] = "rootType";
      values[":root"] = s(extras.root);
      sets.push("#root = :root");
    }
    if (extras.error !== undefined) {
      names["#lastError"] = "lastError";
      values[":lastError"] = s(cut(extras.error));
      sets.push("#lastError = :lastError");
    }
    if (extras.window) {
      names["#wf"] = "windowFrom";
      names["#wt"] = "windowTo";
      values[":wf"] = s(extras.window.from);
      values[":wt"] = s(extras.window.to);
      sets.push("#wf = :wf", "#wt = :wt");
    }
    const result = await this.send<{ Attributes?: Item }>(
      new UpdateItemCommand({
        TableName: this.options.tableName,
        Key: this.key(runPk(run.integration, run.connector, run.runId), RUN_SK),
        UpdateExpression: `SET ${sets.join(", ")} ADD ${adds.join(", ")}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: "ALL_NEW",
      }),
    );
    return result.Attributes ?? {};
  }

  /** Reads a run's summary item and units (consistent). */
  async read(run: RunRef): Promise<{ summary: RunSummary | undefined; units: UnitRecord[] }> {
    const { QueryCommand } = await loadDynamoDbSdk();
    let summary: RunSummary | undefined;
    const units: UnitRecord[] = [];
    let start: Item | undefined;
    do {
      const page = await this.send<{ Items?: Item[]; LastEvaluatedKey?: Item }>(
        new QueryCommand({
          TableName: this.options.tableName,
          KeyConditionExpression: "#pk = :pk",
          ExpressionAttributeNames: { "#pk": StateAttribute.pk },
          ExpressionAttributeValues: { ":pk": s(runPk(run.integration, run.connector, run.runId)) },
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        if (str(item, StateAttribute.sk) === RUN_SK) summary = summaryOf(item);
        else units.push(unitOf(item));
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return { summary, units };
  }

  /**
   * The counters say the run is settled: re-derive its state from the units and move its outcome
   * with a condition on the outcome and the revision read, so exactly one invocation reports each
   * outcome reached, and no counter move made meanwhile (a redrive settling a unit while the last
   * page settles) is overwritten by a stale tally: that write fails and the tally is taken again.
   * The first tally's read is the run item our own move returned (`moved`); later ones read it
   * afresh. True when this call moved the outcome (and wrote the index entry and reported it).
   */
  private async finish(run: RunRef, moved: Item): Promise<boolean> {
    let head: Item | undefined = moved;
    for (let attempt = 0; attempt < FINISH_ATTEMPTS; attempt++) {
      const result = await this.tryFinish(run, head);
      if (result !== "stale") return result === "moved";
      head = undefined;
    }
    // Still moving after that many tallies: the invocation whose move comes last finishes it.
    return false;
  }

  /** The run item, strongly consistent. */
  private async readRunItem(run: RunRef): Promise<Item | undefined> {
    const { GetItemCommand } = await loadDynamoDbSdk();
    const key = this.key(runPk(run.integration, run.connector, run.runId), RUN_SK);
    return (await this.send<{ Item?: Item }>(new GetItemCommand({ TableName: this.options.tableName, Key: key, ConsistentRead: true }))).Item;
  }

  /**
   * One tally. `head` is the run item read before the units (our move's ALL_NEW, or a GetItem):
   * a unit written after it bumps the revision when its move lands, so the conditional write below
   * fails rather than keep a stale tally. An older head only makes that write fail more often.
   */
  private async tryFinish(run: RunRef, known: Item | undefined): Promise<"moved" | "unchanged" | "stale"> {
    const { UpdateItemCommand } = await loadDynamoDbSdk();
    const key = this.key(runPk(run.integration, run.connector, run.runId), RUN_SK);
    const head = known ?? (await this.readRunItem(run));
    const revision = head?.[REVISION]?.N;
    const previous = head?.outcome?.S;
    if (revision === undefined || previous === undefined) return "unchanged";
    const { summary, units } = await this.read(run);
    if (!summary) return "unchanged";
    const truth = tally(units);
    const outcome = outcomeOf(truth.units);
    if (outcome === "running") return "unchanged";
    // The outcome stands, but the counters may be off the units: a move whose unit an earlier
    // tally already counted (its item was written before that tally, its move landed after the
    // outcome write) added it again. Or our own move landed on a finished run (a child whose
    // registration failed, a redrive that leaves the outcome as it was): the index entry, a copy
    // of the summary at its outcome, is behind. Put the re-count back on the same condition, then
    // the entry; nothing to report (the outcome did not move).
    const exactAlready = UNIT_COUNTERS.every((k) => num(head, k) === truth.units[k]) && RECORD_COUNTERS.every((k) => num(head, k) === truth.records[k]);
    const late = known !== undefined && previous !== "running";
    if (outcome === previous && exactAlready && !late) return "unchanged";
    const finishedAt = new Date(this.now()).toISOString();
    const names: Record<string, string> = { "#outcome": "outcome", "#rev": REVISION };
    const values: Item = { ":prev": s(previous), ":rev": n(Number(revision)) };
    const sets: string[] = [];
    if (outcome !== previous) {
      names["#finished"] = "finishedAt";
      values[":outcome"] = s(outcome);
      values[":finished"] = s(finishedAt);
      sets.push("#outcome = :outcome", "#finished = :finished");
    }
    const exact: [string, number][] = [
      ...UNIT_COUNTERS.map((k) => [k, truth.units[k]] as [string, number]),
      ...RECORD_COUNTERS.map((k) => [k, truth.records[k]] as [string, number]),
    ];
    for (const [name, value] of exact) {
      names[`#${name}`] = name;
      values[`:${name}`] = n(value);
      sets.push(`#${name} = :${name}`);
    }
    try {
      await this.send(
        new UpdateItemCommand({
          TableName: this.options.tableName,
          Key: key,
          UpdateExpression: `SET ${sets.join(", ")}`,
          ConditionExpression: "#outcome = :prev AND #rev = :rev",
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
    } catch (error) {
      // Another invocation moved the outcome or a counter since the read: tally again (if the
      // outcome was moved, the next tally finds it equal and stops; that invocation reports).
      if (isConditionFailure(error)) return "stale";
      throw error;
    }
    if (outcome === previous) {
      // The index entry is a copy of the summary: it carries the re-count too (no report).
      await this.putIndex({ ...summary, units: truth.units, records: truth.records });
      return "unchanged";
    }
    const finished: RunSummary = { ...summary, outcome, finishedAt, units: truth.units, records: truth.records };
    // The index entry and the report at once (one round trip less on the record that finished the
    // run): the outcome is ours to report even if the entry could not be written.
    const [index, report] = await Promise.allSettled([this.putIndex(finished), this.options.onFinished?.(runStatusOf(finished), finished)]);
    if (report.status === "rejected") throw report.reason;
    if (index.status === "rejected") throw index.reason;
    return "moved";
  }

  /** Writes the run's entry in its connector's index (what `ops runs` lists). */
  private async putIndex(summary: RunSummary, options: { ifAbsent?: boolean } = {}): Promise<void> {
    const { PutItemCommand } = await loadDynamoDbSdk();
    const item: Item = {
      ...this.key(runIndexPk(summary.integration, summary.connector), runIndexSk(summary.startedAt, summary.runId)),
      integration: s(summary.integration),
      connector: s(summary.connector),
      runId: s(summary.runId),
      outcome: s(summary.outcome),
      startedAt: s(summary.startedAt),
      [StateAttribute.expiresAt]: this.expiresAt(),
    };
    if (summary.rootType) item.rootType = s(summary.rootType);
    if (summary.finishedAt) item.finishedAt = s(summary.finishedAt);
    if (summary.windowFrom) item.windowFrom = s(summary.windowFrom);
    if (summary.windowTo) item.windowTo = s(summary.windowTo);
    if (summary.lastError) item.lastError = s(summary.lastError);
    for (const name of UNIT_COUNTERS) item[name] = n(summary.units[name]);
    for (const name of RECORD_COUNTERS) item[name] = n(summary.records[name]);
    if (!options.ifAbsent) {
      await this.send(new PutItemCommand({ TableName: this.options.tableName, Item: item }));
      return;
    }
    // A running run's entry never replaces one a finish wrote meanwhile (a page finishing the run
    // between the root's move and this put): the finish's entry stands.
    try {
      await this.send(
        new PutItemCommand({
          TableName: this.options.tableName,
          Item: item,
          ConditionExpression: "attribute_not_exists(#pk)",
          ExpressionAttributeNames: { "#pk": StateAttribute.pk },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  /**
   * A connector's runs, newest first (from its index; a running run's progress from its summary
   * item). `limit` runs at most.
   */
  async recentRuns(integration: string, connector: string, limit = 20): Promise<RunSummary[]> {
    const { QueryCommand, BatchGetItemCommand } = await loadDynamoDbSdk();
    const page = await this.send<{ Items?: Item[] }>(
      new QueryCommand({
        TableName: this.options.tableName,
        KeyConditionExpression: "#pk = :pk",
        ExpressionAttributeNames: { "#pk": StateAttribute.pk },
        ExpressionAttributeValues: { ":pk": s(runIndexPk(integration, connector)) },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    const runs = (page.Items ?? []).map(summaryOf);
    const running = runs.filter((r) => r.outcome === "running");
    if (running.length > 0) {
      const live = new Map<string, RunSummary>();
      let pending = running.map((r) => this.key(runPk(integration, connector, r.runId), RUN_SK));
      // BatchGetItem takes at most 100 keys and may hand some back unprocessed: chunk, then ask
      // again for those (bounded; a key still unprocessed shows its index entry's counts).
      for (let round = 0; round < 5 && pending.length > 0; round++) {
        const next: Item[] = [];
        for (let i = 0; i < pending.length; i += BATCH_GET_MAX_KEYS) {
          const got = await this.send<{ Responses?: Record<string, Item[]>; UnprocessedKeys?: Record<string, { Keys?: Item[] }> }>(
            new BatchGetItemCommand({ RequestItems: { [this.options.tableName]: { Keys: pending.slice(i, i + BATCH_GET_MAX_KEYS), ConsistentRead: true } } }),
          );
          for (const item of got.Responses?.[this.options.tableName] ?? []) live.set(str(item, "runId") ?? "", summaryOf(item));
          next.push(...(got.UnprocessedKeys?.[this.options.tableName]?.Keys ?? []));
        }
        pending = next;
      }
      return runs.map((r) => live.get(r.runId) ?? r);
    }
    return runs;
  }
}
