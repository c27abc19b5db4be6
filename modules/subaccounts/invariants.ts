/**
 * Invariants of x/subaccounts, checked against committed state after every block in test builds:
 * - I1 conservation: Σ collateral == uusdc balance of the "subaccounts" module account;
 * - I2 non-negativity: no subaccount without positions has negative collateral (user paths never debit below
 *   zero; settlement and liquidation may, but only while positions remain to be resolved; the one exception,
 *   `mayCarryDebt`, is the insurance fund's subaccount holding unabsorbable bad debt), and nothing empty,
 *   zero-sized or orphaned is stored;
 * - positions net to zero per instrument, and the stored open interest equals the positions' long and short sums;
 * - the holder index (instrument → subaccounts) lists exactly the subaccounts holding each instrument.
 */
import type { QueryContext } from "../../src/app/module.js";
import { prefixEnd } from "../../src/app/pagination.js";
import { PositionStateProto } from "./codec.js";
import type { OpenInterest, SubaccountsKeeper } from "./keeper.js";
import { formatSubaccountId } from "./keeper.js";
import { decodeIdAfterPrefix, readU64be, SubaccountsKeys } from "./keys.js";
import { COLLATERAL_DENOM, type SubaccountId } from "./types.js";

const fromUtf8 = new TextDecoder();
const idKeyOf = (key: Uint8Array, end: number) => Buffer.from(key.subarray(2, end)).toString("latin1");

export function subaccountsInvariants(ctx: QueryContext, keeper: SubaccountsKeeper, mayCarryDebt: (id: SubaccountId) => boolean = () => false): string[] {
  const broken: string[] = [];
  const store = ctx.store;

  const withPositions = new Map<string, string>();
  const positionKeys = new Set<string>();
  const computed = new Map<bigint, OpenInterest>();
  const posPrefix = SubaccountsKeys.positionPrefix;
  for (const [key, value] of store.iterate(posPrefix, prefixEnd(posPrefix))) {
    const { id, end } = decodeIdAfterPrefix(key);
    const instrumentId = readU64be(key, end);
    const size = BigInt(PositionStateProto.decode(value).sizeContracts || "0");
    if (size === 0n) broken.push(`subaccounts: zero-size position ${instrumentId} stored for ${formatSubaccountId(id)}`);
    withPositions.set(idKeyOf(key, end), formatSubaccountId(id));
    positionKeys.add(`${instrumentId}|${idKeyOf(key, end)}`);
    const oi = computed.get(instrumentId) ?? { longContracts: 0n, shortContracts: 0n };
    if (size > 0n) oi.longContracts += size;
    else oi.shortContracts -= size;
    computed.set(instrumentId, oi);
  }

  let total = 0n;
  const records = new Set<string>();
  const subPrefix = SubaccountsKeys.subaccountPrefix;
  for (const [key, value] of store.iterate(subPrefix, prefixEnd(subPrefix))) {
    const { id, end } = decodeIdAfterPrefix(key);
    const idKey = idKeyOf(key, end);
    records.add(idKey);
    const collateral = BigInt(fromUtf8.decode(value));
    total += collateral;
    const hasPositions = withPositions.has(idKey);
    if (collateral === 0n && !hasPositions) broken.push(`subaccounts: empty subaccount ${formatSubaccountId(id)} is stored`);
    if (collateral < 0n && !hasPositions && !mayCarryDebt(id)) broken.push(`subaccounts: ${formatSubaccountId(id)} has negative collateral ${collateral}${COLLATERAL_DENOM} and no positions`);
  }
  for (const [idKey, name] of withPositions) {
    if (!records.has(idKey)) broken.push(`subaccounts: positions of ${name} have no subaccount record`);
  }

  const holderPrefix = SubaccountsKeys.holderPrefix;
  let holderEntries = 0;
  for (const [key] of store.iterate(holderPrefix, prefixEnd(holderPrefix))) {
    holderEntries++;
    const instrumentId = readU64be(key, holderPrefix.length);
    const { id, end } = decodeIdAfterPrefix(key, holderPrefix.length + 8);
    const idKey = Buffer.from(SubaccountsKeys.subaccount(id).subarray(2)).toString("latin1");
    if (!positionKeys.has(`${instrumentId}|${idKey}`) || end !== key.length) broken.push(`subaccounts: holder index lists ${formatSubaccountId(id)} for instrument ${instrumentId} without a position`);
  }
  if (holderEntries !== positionKeys.size) broken.push(`subaccounts: holder index has ${holderEntries} entries for ${positionKeys.size} positions`);

  const held = keeper.moduleBalance(store);
  if (held !== total) broken.push(`subaccounts: collateral sums to ${total}${COLLATERAL_DENOM} but the module account holds ${held}${COLLATERAL_DENOM}`);

  const stored = new Map<bigint, OpenInterest>();
  for (const oi of keeper.iterateOpenInterest(store)) stored.set(oi.instrumentId, oi);
  for (const instrumentId of new Set([...computed.keys(), ...stored.keys()])) {
    const c = computed.get(instrumentId) ?? { longContracts: 0n, shortContracts: 0n };
    const s = stored.get(instrumentId) ?? { longContracts: 0n, shortContracts: 0n };
    if (c.longContracts !== c.shortContracts) broken.push(`subaccounts: positions in instrument ${instrumentId} net to ${c.longContracts - c.shortContracts}, not zero`);
    if (c.longContracts !== s.longContracts || c.shortContracts !== s.shortContracts) {
      broken.push(`subaccounts: open interest of instrument ${instrumentId} is stored as ${s.longContracts}/${s.shortContracts} but positions give ${c.longContracts}/${c.shortContracts}`);
    }
  }
  return broken;
}
