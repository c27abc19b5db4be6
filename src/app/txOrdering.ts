/**
 * The in-block fairness rule: liquidity provision before liquidity taking.
 *
 * Every tx is classified from its messages (by the trading module, see `TxClassifier`):
 * - "maker": only cancels, size-reducing amends, post-only places and similar (it can never take liquidity);
 * - "taker": it may take liquidity (any other order placement or amend);
 * - "neutral": no trading message (bank sends, deposits, ...).
 *
 * Rule: a maker tx may appear after a taker tx only if its own signer has a taker tx earlier in the block.
 * So a maker's cancel or fresh quote always takes effect before any other trader's order that could hit it in
 * the same block: a proposer cannot front-run a cancel by ordering a taker ahead of it. The exception keeps a
 * signer's own txs in sequence order (its nonce order must be kept, and it can only "front-run" itself).
 * Neutral txs are unconstrained.
 *
 * The proposer builds blocks with `orderForFairness` (a stable partition that never reorders one signer's
 * txs); every validator checks proposals with `fairnessViolation` in ProcessProposal and rejects a block that
 * breaks the rule, so the rule holds in every committed block without trusting the proposer.
 */

export type TradingClass = "maker" | "taker" | "neutral";

/** Classifies a decoded message for the fairness rule (neutral for messages the classifier does not know). */
export type TxClassifier = (typeUrl: string, msg: unknown) => TradingClass;

export interface ClassifiedTx {
  /** The tx's signer (single-signer txs): keeps one signer's txs in order. */
  readonly signer: string;
  readonly tradingClass: TradingClass;
}

/** A tx's class: taker if any message may take liquidity, else maker if any message is a maker one, else neutral. */
export function classifyMessages(classify: TxClassifier, msgs: ReadonlyArray<{ typeUrl: string; value: unknown }>): TradingClass {
  let result: TradingClass = "neutral";
  for (const m of msgs) {
    const c = classify(m.typeUrl, m.value);
    if (c === "taker") return "taker";
    if (c === "maker") result = "maker";
  }
  return result;
}

/**
 * Proposal order: makers and neutral txs first, then takers, stable within each group. Once a signer has a tx
 * in the taker group, all its later txs go there too, so no signer's txs are reordered.
 */
export function orderForFairness<T extends ClassifiedTx>(txs: readonly T[]): T[] {
  const front: T[] = [];
  const back: T[] = [];
  const signersInBack = new Set<string>();
  for (const tx of txs) {
    if (tx.tradingClass === "taker" || signersInBack.has(tx.signer)) {
      back.push(tx);
      signersInBack.add(tx.signer);
    } else {
      front.push(tx);
    }
  }
  return front.concat(back);
}

/** Why a block's tx order breaks the rule (the first offending tx), or undefined when it holds. */
export function fairnessViolation(txs: readonly ClassifiedTx[]): string | undefined {
  let firstTaker = -1;
  const signersWithTaker = new Set<string>();
  for (let i = 0; i < txs.length; i++) {
    const tx = txs[i]!;
    if (tx.tradingClass === "taker") {
      if (firstTaker < 0) firstTaker = i;
      signersWithTaker.add(tx.signer);
    } else if (tx.tradingClass === "maker" && firstTaker >= 0 && !signersWithTaker.has(tx.signer)) {
      return `tx ${i} (maker, signer ${tx.signer}) comes after tx ${firstTaker} which may take liquidity`;
    }
  }
  return undefined;
}
