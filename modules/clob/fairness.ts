/**
 * In-block fairness (enforced by the lead's PrepareProposal/ProcessProposal): every tx whose CLOB messages are
 * all "maker" comes before every tx with a "taker" message; "neutral" (non-CLOB) txs may be anywhere.
 *
 * Classification, from the decoded message alone (no state):
 * - maker: MsgCancelOrder, MsgCancelAll, MsgSetMmp, MsgResetMmp; MsgPlaceOrder with post_only; MsgAmendOrder with
 *   new_price_ticks 0 (keeps the price: the handler then allows only a size decrease, which keeps priority);
 *   MsgBatch whose places are all post-only (cancels only, or none, included).
 * - taker: any other MsgPlaceOrder / MsgAmendOrder / MsgBatch (they may take liquidity).
 * - neutral: every non-CLOB message.
 * So makers can always cancel or re-quote before takers in the same block can hit stale quotes.
 */
import type * as codec from "./codec.js";
import { CLOB_MSG_TYPE_URLS as T } from "./msgs.js";

export type TradingClass = "maker" | "taker" | "neutral";

export function tradingClass(typeUrl: string, msg: unknown): TradingClass {
  switch (typeUrl) {
    case T.cancelOrder:
    case T.cancelAll:
    case T.setMmp:
    case T.resetMmp:
      return "maker";
    case T.placeOrder:
      return (msg as codec.MsgPlaceOrder | undefined)?.order?.postOnly === true ? "maker" : "taker";
    case T.amendOrder:
      return (msg as codec.MsgAmendOrder | undefined)?.newPriceTicks === 0n ? "maker" : "taker";
    case T.batch: {
      const places = (msg as codec.MsgBatch | undefined)?.places;
      return Array.isArray(places) && places.every((p) => p.postOnly === true) ? "maker" : "taker";
    }
    default:
      return typeUrl.startsWith("/vanna.clob.") ? "taker" : "neutral";
  }
}
