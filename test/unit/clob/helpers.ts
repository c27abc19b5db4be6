/** Shared builders for the order-book tests: self-describing orders, result narrowing, and a bigint-safe dump. */
import { expect } from "vitest";
import { assertBookInvariants, type OrderBook, type PlaceOrder, type Rejected, type RejectName } from "../../../modules/clob/orderbook/index.js";

type Extra = Omit<Partial<PlaceOrder>, "orderId" | "owner" | "side" | "priceTicks" | "sizeContracts">;

export function buy(orderId: bigint, owner: string, sizeContracts: bigint, priceTicks: bigint, extra: Extra = {}): PlaceOrder {
  return { orderId, owner, side: "buy", priceTicks, sizeContracts, ...extra };
}

export function sell(orderId: bigint, owner: string, sizeContracts: bigint, priceTicks: bigint, extra: Extra = {}): PlaceOrder {
  return { orderId, owner, side: "sell", priceTicks, sizeContracts, ...extra };
}

/** Narrows a result to its accepted form, failing the test with the rejection otherwise. */
export function accepted<T extends { ok: boolean }>(result: T): Exclude<T, Rejected> {
  if (!result.ok) throw new Error(`expected acceptance, got ${JSON.stringify((result as unknown as Rejected).rejection)}`);
  return result as Exclude<T, Rejected>;
}

/** Asserts a rejection with the given name, and that it left the book unchanged. */
export function expectRejected(book: OrderBook, op: () => { ok: boolean }, name: RejectName): void {
  const before = dump(book.snapshot());
  const result = op();
  expect(result.ok).toBe(false);
  expect((result as Rejected).rejection.name).toBe(name);
  expect(dump(book.snapshot())).toBe(before);
  assertBookInvariants(book);
}

/** JSON with bigints as "123n": stable, comparable text for results and snapshots. */
export function dump(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? `${v}n` : v));
}

/** Maker ids of the fills, in execution order. */
export function makers(result: { fills: ReadonlyArray<{ makerOrderId: bigint }> }): bigint[] {
  return result.fills.map((f) => f.makerOrderId);
}
