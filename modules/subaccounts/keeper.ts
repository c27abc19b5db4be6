/**
 * The only code that reads or writes subaccounts. Every change of collateral or positions, by this module's
 * messages or by other modules (trading, settlement, liquidation), goes through one choke point:
 * `applyUpdates`, which validates the whole batch (`canApplyUpdates`, a dry run with a per-update result)
 * before it writes anything, and moves the batch's net collateral change through the bank module account, so
 * Σ collateral == module account balance holds by construction.
 */
import type { Context } from "../../src/app/context.js";
import { ChainError, SdkErrors } from "../../src/errors.js";
import type { KVReader, KVStore } from "../../src/store/types.js";
import { prefixEnd } from "../../src/app/pagination.js";
import { ACCOUNT_PREFIX, moduleAddress, toBech32Address } from "../../src/crypto/address.js";
import { bytesEqual } from "../../src/codec/index.js";
import { OpenInterestProto, PositionStateProto } from "./codec.js";
import { SubaccountsErrors } from "./errors.js";
import type { BankKeeper, MarginChecker } from "./expectedKeepers.js";
import { COLLATERAL_ONLY_MARGIN } from "./expectedKeepers.js";
import { decodeIdAfterPrefix, readU64be, SubaccountsKeys } from "./keys.js";
import {
  COLLATERAL_DENOM,
  MAX_INSTRUMENT_ID,
  MAX_MAGNITUDE,
  MAX_SUBACCOUNT_NUMBER,
  SUBACCOUNTS_MODULE_ACCOUNT,
  type ApplyOptions,
  type CanApplyResult,
  type Position,
  type Subaccount,
  type SubaccountId,
  type SubaccountUpdate,
  type UpdateKind,
  type UpdateResult,
} from "./types.js";

const utf8 = new TextEncoder();
const EMPTY = new Uint8Array(0);
const fromUtf8 = new TextDecoder();

/** Kinds on which collateral may not be debited below zero and equity must cover the initial margin. */
/** Owners are account (or module account) addresses; export writes them as bech32, which import requires. */
const ADDRESS_LENGTH = 20;

const CHECKED_KINDS: ReadonlySet<UpdateKind> = new Set(["deposit", "withdrawal", "transfer", "match"]);

export interface OpenInterest {
  /** Σ of positive sizes. */
  longContracts: bigint;
  /** Σ of |negative sizes|. */
  shortContracts: bigint;
}

interface PositionChange {
  instrumentId: bigint;
  before: Position | undefined;
  after: Position | undefined;
}

interface UpdatePlan {
  before: Subaccount;
  after: Subaccount;
  positionChanges: PositionChange[];
}

interface BatchPlan {
  results: UpdateResult[];
  plans: UpdatePlan[];
  error: ChainError | undefined;
  netCollateral: bigint;
}

export function formatSubaccountId(id: SubaccountId): string {
  const owner = id.owner.length === ADDRESS_LENGTH ? toBech32Address(ACCOUNT_PREFIX, id.owner) : Buffer.from(id.owner).toString("hex");
  return `${owner}/${id.number}`;
}

function isValidId(id: SubaccountId): boolean {
  return (
    id !== null &&
    typeof id === "object" &&
    id.owner instanceof Uint8Array &&
    id.owner.length === ADDRESS_LENGTH &&
    Number.isInteger(id.number) &&
    id.number >= 0 &&
    id.number <= MAX_SUBACCOUNT_NUMBER
  );
}

/** A subaccount has a record iff it holds collateral or positions. */
const isStored = (s: Subaccount) => s.quoteMicroUsdc !== 0n || s.positions.length > 0;
const abs = (x: bigint) => (x < 0n ? -x : x);
const longPart = (size: bigint) => (size > 0n ? size : 0n);
const shortPart = (size: bigint) => (size < 0n ? -size : 0n);

function decodeInt(raw: Uint8Array): bigint {
  return BigInt(fromUtf8.decode(raw));
}

function decodePosition(instrumentId: bigint, raw: Uint8Array): Position {
  const s = PositionStateProto.decode(raw);
  return { instrumentId, sizeContracts: BigInt(s.sizeContracts || "0"), costBasisMicroUsdc: BigInt(s.costBasisMicroUsdc || "0") };
}

function encodePosition(p: Position): Uint8Array {
  return PositionStateProto.encode({ sizeContracts: p.sizeContracts.toString(), costBasisMicroUsdc: p.costBasisMicroUsdc.toString() });
}

export class SubaccountsKeeper {
  /** Address of the "subaccounts" module account that holds every deposited uusdc. */
  readonly moduleAddress: Uint8Array = moduleAddress(SUBACCOUNTS_MODULE_ACCOUNT);
  private readonly margin: MarginChecker;
  /** The open withNettedTransfers scope, if any: its store, counterparty and the net not yet moved by the bank. */
  private netting: { store: KVReader; counterparty: Uint8Array; net: bigint } | undefined;

  constructor(private readonly deps: { bank: BankKeeper; margin?: MarginChecker | undefined }) {
    this.margin = deps.margin ?? COLLATERAL_ONLY_MARGIN;
  }

  // ---- reads --------------------------------------------------------------------------------------------

  /** The subaccount, or a zero one (no collateral, no positions) when it does not exist. */
  get(store: KVReader, id: SubaccountId): Subaccount {
    return { id: { owner: id.owner, number: id.number }, quoteMicroUsdc: this.collateral(store, id), positions: this.positions(store, id) };
  }

  /** True when the subaccount holds collateral or positions (empty subaccounts are not stored). */
  has(store: KVReader, id: SubaccountId): boolean {
    return store.has(SubaccountsKeys.subaccount(id));
  }

  collateral(store: KVReader, id: SubaccountId): bigint {
    const raw = store.get(SubaccountsKeys.subaccount(id));
    return raw === undefined ? 0n : decodeInt(raw);
  }

  /** Positions in instrument id order. */
  positions(store: KVReader, id: SubaccountId): Position[] {
    const prefix = SubaccountsKeys.subaccountPositionsPrefix(id);
    const out: Position[] = [];
    for (const [key, value] of store.iterate(prefix, prefixEnd(prefix))) {
      out.push(decodePosition(readU64be(key, prefix.length), value));
    }
    return out;
  }

  position(store: KVReader, id: SubaccountId, instrumentId: bigint): Position | undefined {
    const raw = store.get(SubaccountsKeys.position(id, instrumentId));
    return raw === undefined ? undefined : decodePosition(instrumentId, raw);
  }

  openInterest(store: KVReader, instrumentId: bigint): OpenInterest {
    const raw = store.get(SubaccountsKeys.openInterest(instrumentId));
    if (raw === undefined) return { longContracts: 0n, shortContracts: 0n };
    const oi = OpenInterestProto.decode(raw);
    return { longContracts: BigInt(oi.longContracts || "0"), shortContracts: BigInt(oi.shortContracts || "0") };
  }

  /** Every stored open-interest record, in instrument id order. */
  *iterateOpenInterest(store: KVReader): IterableIterator<OpenInterest & { instrumentId: bigint }> {
    const prefix = SubaccountsKeys.openInterestPrefix;
    for (const [key, value] of store.iterate(prefix, prefixEnd(prefix))) {
      const oi = OpenInterestProto.decode(value);
      yield { instrumentId: readU64be(key, prefix.length), longContracts: BigInt(oi.longContracts || "0"), shortContracts: BigInt(oi.shortContracts || "0") };
    }
  }

  /** Non-empty subaccounts in key order (owner, then number), all of them or one owner's. */
  *iterateSubaccounts(store: KVReader, owner?: Uint8Array): IterableIterator<Subaccount> {
    const prefix = owner === undefined ? SubaccountsKeys.subaccountPrefix : SubaccountsKeys.ownerSubaccountsPrefix(owner);
    for (const [key, value] of store.iterate(prefix, prefixEnd(prefix))) {
      const { id } = decodeIdAfterPrefix(key);
      yield { id, quoteMicroUsdc: decodeInt(value), positions: this.positions(store, id) };
    }
  }

  /** Every subaccount holding a position in the instrument, in key order (owner, number). */
  *holders(store: KVReader, instrumentId: bigint): IterableIterator<SubaccountId> {
    const prefix = SubaccountsKeys.instrumentHoldersPrefix(instrumentId);
    for (const [key] of store.iterate(prefix, prefixEnd(prefix))) {
      yield decodeIdAfterPrefix(key, prefix.length).id;
    }
  }

  /** Every position in key order (owner, number, instrument). */
  *iteratePositions(store: KVReader): IterableIterator<{ id: SubaccountId; position: Position }> {
    const prefix = SubaccountsKeys.positionPrefix;
    for (const [key, value] of store.iterate(prefix, prefixEnd(prefix))) {
      const { id, end } = decodeIdAfterPrefix(key);
      yield { id, position: decodePosition(readU64be(key, end), value) };
    }
  }

  /** uusdc held by the module account (what Σ collateral must equal). */
  moduleBalance(store: KVReader): bigint {
    return this.deps.bank.getBalance(store, this.moduleAddress, COLLATERAL_DENOM);
  }

  /** Module accounts may not receive user withdrawals (as they may not receive MsgSend). */
  isBlockedRecipient(store: KVReader, address: Uint8Array): boolean {
    return this.deps.bank.isBlockedRecipient(store, address);
  }

  equityOf(store: KVReader, subaccount: Subaccount, nowNs: bigint): bigint {
    return this.margin.equityOf(store, subaccount, nowNs);
  }

  initialMarginOf(store: KVReader, subaccount: Subaccount, nowNs: bigint): bigint {
    return this.margin.initialMarginOf(store, subaccount, nowNs);
  }

  // ---- the choke point ----------------------------------------------------------------------------------

  /** Dry run of `applyUpdates`: what each update would do, and the error the batch would fail with. */
  canApplyUpdates(store: KVReader, updates: readonly SubaccountUpdate[], opts: ApplyOptions): CanApplyResult {
    const plan = this.plan(store, updates, opts);
    return plan.error === undefined ? { ok: true, results: plan.results } : { ok: false, results: plan.results, error: plan.error };
  }

  /**
   * Applies every update or none: the batch is checked in full before the first write, and a refusal throws
   * a ChainError (the first failing update's, else the batch's) with the state untouched. Returns the
   * subaccounts as they are after the batch, in input order.
   */
  applyUpdates(ctx: Context, updates: readonly SubaccountUpdate[], opts: ApplyOptions): Subaccount[] {
    const plan = this.plan(ctx.store, updates, { ...opts, nowNs: ctx.blockTimeNs });
    if (plan.error !== undefined) throw plan.error;
    const net = plan.netCollateral;
    // Bank moves first: they check before writing, so a refusal here still leaves nothing written.
    const netting = this.nettingFor(ctx.store, opts.counterparty);
    if (netting !== undefined) netting.net += net;
    else this.moveNet(ctx, opts.counterparty, net);
    const oiDeltas = new Map<bigint, OpenInterest>();
    for (const p of plan.plans) {
      // Only what changed is written (an untouched record costs no gas and dirties no bucket).
      if (p.before.quoteMicroUsdc !== p.after.quoteMicroUsdc || isStored(p.before) !== isStored(p.after)) this.writeSubaccountRecord(ctx.store, p.after);
      for (const c of p.positionChanges) {
        const key = SubaccountsKeys.position(p.after.id, c.instrumentId);
        if (c.after !== undefined) ctx.store.set(key, encodePosition(c.after));
        else if (c.before !== undefined) ctx.store.delete(key);
        // The holder index changes only when a position opens or closes.
        if (c.before === undefined && c.after !== undefined) ctx.store.set(SubaccountsKeys.holder(c.instrumentId, p.after.id), EMPTY);
        if (c.before !== undefined && c.after === undefined) ctx.store.delete(SubaccountsKeys.holder(c.instrumentId, p.after.id));
        const oldSize = c.before?.sizeContracts ?? 0n;
        const newSize = c.after?.sizeContracts ?? 0n;
        const d = oiDeltas.get(c.instrumentId) ?? { longContracts: 0n, shortContracts: 0n };
        d.longContracts += longPart(newSize) - longPart(oldSize);
        d.shortContracts += shortPart(newSize) - shortPart(oldSize);
        oiDeltas.set(c.instrumentId, d);
      }
    }
    for (const [instrumentId, d] of [...oiDeltas.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (d.longContracts === 0n && d.shortContracts === 0n) continue;
      const oi = this.openInterest(ctx.store, instrumentId);
      this.setOpenInterest(ctx.store, instrumentId, { longContracts: oi.longContracts + d.longContracts, shortContracts: oi.shortContracts + d.shortContracts });
    }
    if (CHECKED_KINDS.has(opts.kind)) return plan.plans.map((p) => p.after);
    // Unchecked kinds planned on the touched positions only: the full list is read when asked for.
    const keeper = this;
    return plan.plans.map((p) => ({
      id: p.after.id,
      quoteMicroUsdc: p.after.quoteMicroUsdc,
      get positions() {
        return keeper.positions(ctx.store, p.after.id);
      },
    }));
  }

  /**
   * Runs `body` (one message's trades) with the net collateral movement of every applyUpdates whose
   * counterparty is `counterparty` accumulated and moved by the bank once, when body returns: one transfer per
   * message instead of one per fill. Checks stay exact: each update batch is checked against the balances as
   * they would be had the pending net moved. Σ collateral == module balance holds again when this returns
   * (invariants run between blocks); if body throws, the tx fails and its writes are discarded. A nested call
   * runs inside the outer scope.
   */
  withNettedTransfers<T>(ctx: Context, counterparty: Uint8Array, body: () => T): T {
    if (this.netting !== undefined) return body();
    const netting = { store: ctx.store, counterparty, net: 0n };
    this.netting = netting;
    let out: T;
    try {
      out = body();
    } finally {
      this.netting = undefined;
    }
    this.moveNet(ctx, counterparty, netting.net);
    return out;
  }

  private nettingFor(store: KVReader, counterparty: Uint8Array | undefined) {
    const n = this.netting;
    return n !== undefined && n.store === store && counterparty !== undefined && bytesEqual(counterparty, n.counterparty) ? n : undefined;
  }

  private moveNet(ctx: Context, counterparty: Uint8Array | undefined, net: bigint): void {
    if (net > 0n) this.deps.bank.sendToModule(ctx, counterparty!, SUBACCOUNTS_MODULE_ACCOUNT, [{ denom: COLLATERAL_DENOM, amount: net }]);
    if (net < 0n) this.deps.bank.sendFromModule(ctx, SUBACCOUNTS_MODULE_ACCOUNT, counterparty!, [{ denom: COLLATERAL_DENOM, amount: -net }]);
  }

  // ---- genesis-only writes ------------------------------------------------------------------------------

  /** Genesis: stores a subaccount as given (the caller has validated it); open interest is set separately. */
  setSubaccount(store: KVStore, subaccount: Subaccount): void {
    this.writeSubaccountRecord(store, subaccount);
    for (const p of subaccount.positions) {
      store.set(SubaccountsKeys.position(subaccount.id, p.instrumentId), encodePosition(p));
      store.set(SubaccountsKeys.holder(p.instrumentId, subaccount.id), EMPTY);
    }
  }

  setOpenInterest(store: KVStore, instrumentId: bigint, oi: OpenInterest): void {
    const key = SubaccountsKeys.openInterest(instrumentId);
    if (oi.longContracts === 0n && oi.shortContracts === 0n) store.delete(key);
    else store.set(key, OpenInterestProto.encode({ longContracts: oi.longContracts.toString(), shortContracts: oi.shortContracts.toString() }));
  }

  // ---- internals ----------------------------------------------------------------------------------------

  /**
   * The subaccount with only the positions in `deltas` (enough for an unchecked update), or the whole of it
   * when its collateral is zero (then whether its record exists depends on every position).
   */
  private touched(store: KVReader, id: SubaccountId, deltas: SubaccountUpdate["positionDeltas"]): Subaccount {
    const quoteMicroUsdc = this.collateral(store, id);
    if (quoteMicroUsdc === 0n) return this.get(store, id);
    const positions: Position[] = [];
    for (const d of deltas) {
      const p = this.position(store, id, d.instrumentId);
      if (p !== undefined) positions.push(p);
    }
    return { id: { owner: id.owner, number: id.number }, quoteMicroUsdc, positions };
  }

  private writeSubaccountRecord(store: KVStore, s: Subaccount): void {
    const key = SubaccountsKeys.subaccount(s.id);
    if (!isStored(s)) store.delete(key);
    else store.set(key, utf8.encode(s.quoteMicroUsdc.toString()));
  }

  private plan(store: KVReader, updates: readonly SubaccountUpdate[], opts: ApplyOptions): BatchPlan {
    const results: UpdateResult[] = [];
    const plans: UpdatePlan[] = [];
    let firstError: ChainError | undefined;
    const fail = (result: UpdateResult, error: ChainError) => {
      results.push(result);
      firstError ??= error;
    };
    const seen = new Set<string>();
    const sizeSums = new Map<bigint, bigint>();
    let net = 0n;
    updates.forEach((u, index) => {
      const where = `update ${index}`;
      if (!isValidId(u.id)) return fail("invalid_update", SubaccountsErrors.invalidUpdate.with(`${where}: subaccount id must have a ${ADDRESS_LENGTH}-byte owner and a number 0..${MAX_SUBACCOUNT_NUMBER}`));
      // The bech32 name is only needed by error messages: built on demand (bech32 costs more than the update).
      let nameMemo: string | undefined;
      const nameOf = () => (nameMemo ??= formatSubaccountId(u.id));
      const idKey = Buffer.from(SubaccountsKeys.subaccount(u.id)).toString("latin1");
      if (seen.has(idKey)) return fail("invalid_update", SubaccountsErrors.invalidUpdate.with(`${where}: subaccount ${nameOf()} appears twice in one batch`));
      seen.add(idKey);
      if (typeof u.collateralDelta !== "bigint" || !Array.isArray(u.positionDeltas)) {
        return fail("invalid_update", SubaccountsErrors.invalidUpdate.with(`${where}: malformed update`));
      }
      const instruments = new Set<bigint>();
      for (const d of u.positionDeltas) {
        const costDelta = d.costBasisDelta ?? 0n;
        if (typeof d.instrumentId !== "bigint" || d.instrumentId < 0n || d.instrumentId > MAX_INSTRUMENT_ID || typeof d.sizeDelta !== "bigint" || typeof costDelta !== "bigint") {
          return fail("invalid_update", SubaccountsErrors.invalidUpdate.with(`${where}: malformed position delta`));
        }
        if (instruments.has(d.instrumentId)) return fail("invalid_update", SubaccountsErrors.invalidUpdate.with(`${where}: instrument ${d.instrumentId} appears twice`));
        instruments.add(d.instrumentId);
      }

      // Unchecked kinds (trades, settlement) need only the touched positions: a maker with positions in many
      // series would otherwise read and decode all of them for every fill. Checked kinds need the whole
      // subaccount for the margin check.
      const checked = CHECKED_KINDS.has(opts.kind);
      const before = checked ? this.get(store, u.id) : this.touched(store, u.id, u.positionDeltas);
      const collateral = before.quoteMicroUsdc + u.collateralDelta;
      if (abs(u.collateralDelta) > MAX_MAGNITUDE || abs(collateral) > MAX_MAGNITUDE) return fail("overflow", SubaccountsErrors.overflow.with(`${where}: collateral of ${nameOf()}`));
      const positions = new Map<bigint, Position>(before.positions.map((p) => [p.instrumentId, p]));
      const changes: PositionChange[] = [];
      let touchesPositions = false;
      for (const d of u.positionDeltas) {
        const costDelta = d.costBasisDelta ?? 0n;
        if (d.sizeDelta === 0n && costDelta === 0n) continue;
        touchesPositions = true;
        const old = positions.get(d.instrumentId);
        const size = (old?.sizeContracts ?? 0n) + d.sizeDelta;
        const cost = (old?.costBasisMicroUsdc ?? 0n) + costDelta;
        if (abs(d.sizeDelta) > MAX_MAGNITUDE || abs(costDelta) > MAX_MAGNITUDE || abs(size) > MAX_MAGNITUDE || abs(cost) > MAX_MAGNITUDE) {
          return fail("overflow", SubaccountsErrors.overflow.with(`${where}: position ${d.instrumentId} of ${nameOf()}`));
        }
        const next = size === 0n ? undefined : { instrumentId: d.instrumentId, sizeContracts: size, costBasisMicroUsdc: cost };
        if (next === undefined) positions.delete(d.instrumentId);
        else positions.set(d.instrumentId, next);
        changes.push({ instrumentId: d.instrumentId, before: old, after: next });
        sizeSums.set(d.instrumentId, (sizeSums.get(d.instrumentId) ?? 0n) + d.sizeDelta);
      }
      const after: Subaccount = {
        id: { owner: u.id.owner, number: u.id.number },
        quoteMicroUsdc: collateral,
        positions: [...positions.values()].sort((a, b) => (a.instrumentId < b.instrumentId ? -1 : a.instrumentId > b.instrumentId ? 1 : 0)),
      };
      if (!checked && collateral === 0n && after.positions.length === 0) {
        // Whether the record stays depends on the untouched positions too (rare: collateral exactly zero).
        const others = this.positions(store, u.id).filter((p) => !instruments.has(p.instrumentId));
        after.positions = [...others, ...after.positions].sort((a, b) => (a.instrumentId < b.instrumentId ? -1 : a.instrumentId > b.instrumentId ? 1 : 0));
      }

      if (CHECKED_KINDS.has(opts.kind)) {
        // A debit may not take collateral below zero (a credit to a negative balance, curing a deficit, may).
        if (u.collateralDelta < 0n && collateral < 0n) {
          return fail(
            "negative_collateral",
            SubaccountsErrors.insufficientCollateral.with(`subaccount ${nameOf()} has ${before.quoteMicroUsdc}${COLLATERAL_DENOM} collateral, needs ${-u.collateralDelta}${COLLATERAL_DENOM}`),
          );
        }
        // Only an update that can lower equity is margin-checked: a pure credit never makes margin worse.
        if (u.collateralDelta < 0n || touchesPositions) {
          const nowNs = opts.nowNs ?? 0n;
          const equity = this.margin.equityOf(store, after, nowNs);
          const required = this.margin.initialMarginOf(store, after, nowNs);
          if (equity < required) {
            const wasOk = this.margin.equityOf(store, before, nowNs) >= this.margin.initialMarginOf(store, before, nowNs);
            const kind = opts.kind === "withdrawal" || opts.kind === "transfer" ? SubaccountsErrors.belowInitialMargin : SubaccountsErrors.updateBelowInitialMargin;
            return fail(wasOk ? "newly_undercollateralized" : "still_undercollateralized", kind.with(`subaccount ${nameOf()}: equity ${equity} < initial margin ${required}`));
          }
        }
      }
      net += u.collateralDelta;
      results.push("success");
      plans.push({ before, after, positionChanges: changes });
    });

    let error = firstError;
    if (error === undefined && opts.allowUnbalancedPositions !== true) {
      for (const [instrumentId, sum] of sizeSums) {
        if (sum !== 0n) {
          error = SubaccountsErrors.unbalancedPositions.with(`instrument ${instrumentId} nets ${sum}`);
          break;
        }
      }
    }
    if (error === undefined) error = this.checkCounterparty(store, net, opts.counterparty);
    return { results, plans, error, netCollateral: net };
  }

  private checkCounterparty(store: KVReader, net: bigint, counterparty: Uint8Array | undefined): ChainError | undefined {
    if (net === 0n) return undefined;
    if (counterparty === undefined || !(counterparty instanceof Uint8Array) || counterparty.length === 0) {
      return SubaccountsErrors.invalidCounterparty.with(`a net collateral change of ${net}${COLLATERAL_DENOM} needs a counterparty`);
    }
    if (bytesEqual(counterparty, this.moduleAddress)) {
      return SubaccountsErrors.invalidCounterparty.with("the subaccounts module account cannot be its own counterparty");
    }
    const [payer, amount] = net > 0n ? [counterparty, net] : [this.moduleAddress, -net];
    // Inside withNettedTransfers the bank has not moved the pending net yet: count it as moved.
    const pending = this.nettingFor(store, counterparty)?.net ?? 0n;
    const have = this.deps.bank.getBalance(store, payer, COLLATERAL_DENOM) + (net > 0n ? -pending : pending);
    if (have < amount) {
      return SdkErrors.insufficientFunds.with(`spendable balance ${have}${COLLATERAL_DENOM} is smaller than ${amount}${COLLATERAL_DENOM}`);
    }
    return undefined;
  }
}
