/**
 * LiquidationKeeper: the insurance fund (a bank module account plus its own subaccount for taken-over
 * positions), its ledger, the payment of settlement shortfall claims, and the BeginBlock liquidation engine
 * (engine.ts, waterfall.ts). Every uusdc that enters or leaves the fund's bank balance goes through
 * `fundIn` / `fundOut` here, which append to the ledger: Σ ledger amounts == bank balance (an invariant).
 */
import type { Context } from "../../src/app/context.js";
import { ACCOUNT_PREFIX, moduleAddress, parseBech32Address, toBech32Address } from "../../src/crypto/address.js";
import { SdkErrors } from "../../src/errors.js";
import type { KVReader, KVStore } from "../../src/store/types.js";
import { COLLATERAL_DENOM, formatSubaccountId, type SubaccountId } from "../subaccounts/index.js";
import { LiquidationErrors } from "./errors.js";
import { resolve, type AccountKeeper, type BankKeeper, type ClobKeeper, type Lazy, type MarginKeeper, type OptionsKeeper, type SubaccountsKeeper } from "./expectedKeepers.js";
import { appendEntry } from "./ledger.js";
import { getLiquidationParams, setLiquidationParams, type LiquidationParams } from "./params.js";
import { INSURANCE_FUND_MODULE_ACCOUNT, INSURANCE_FUND_SUBACCOUNT_NUMBER, type InsuranceEntry, type InsuranceEntryKind } from "./types.js";

export interface LiquidationKeeperDeps {
  accounts: AccountKeeper;
  bank: BankKeeper;
  subaccounts: SubaccountsKeeper;
  margin: Lazy<MarginKeeper>;
  options: Lazy<OptionsKeeper>;
  clob: Lazy<ClobKeeper>;
}

export class LiquidationKeeper {
  readonly fundAddress: Uint8Array = moduleAddress(INSURANCE_FUND_MODULE_ACCOUNT);
  readonly fundBech32: string = toBech32Address(ACCOUNT_PREFIX, this.fundAddress);
  /** The fund's own subaccount: holds positions taken over from bankrupt or unabsorbable accounts. */
  readonly fundSubaccount: SubaccountId = { owner: this.fundAddress, number: INSURANCE_FUND_SUBACCOUNT_NUMBER };

  constructor(readonly deps: LiquidationKeeperDeps) {}

  get bank(): BankKeeper {
    return this.deps.bank;
  }
  get subaccounts(): SubaccountsKeeper {
    return this.deps.subaccounts;
  }
  get margin(): MarginKeeper {
    return resolve(this.deps.margin);
  }
  get options(): OptionsKeeper {
    return resolve(this.deps.options);
  }
  get clob(): ClobKeeper {
    return resolve(this.deps.clob);
  }

  params(store: KVReader): LiquidationParams {
    return getLiquidationParams(store);
  }

  setParams(store: KVStore, p: LiquidationParams): void {
    setLiquidationParams(store, p);
  }

  /** uusdc the fund can pay out now (its bank balance). */
  fundBalance(store: KVReader): bigint {
    return this.deps.bank.getBalance(store, this.fundAddress, COLLATERAL_DENOM);
  }

  isFundSubaccount(id: SubaccountId): boolean {
    return id.number === INSURANCE_FUND_SUBACCOUNT_NUMBER && Buffer.compare(Buffer.from(id.owner), Buffer.from(this.fundAddress)) === 0;
  }

  // ---- fund movements (each one ledgered) ------------------------------------------------------------------

  private ledger(ctx: Context, kind: InsuranceEntryKind, amount: bigint, counterparty: string, seriesId: bigint): InsuranceEntry {
    return appendEntry(ctx, { kind, amountMicroUsdc: amount, counterparty, seriesId, balanceAfterMicroUsdc: this.fundBalance(ctx.store) });
  }

  /** MsgDepositInsurance: anyone adds uusdc from their bank balance. */
  deposit(ctx: Context, sender: Uint8Array, amount: bigint): bigint {
    this.deps.bank.sendToModule(ctx, sender, INSURANCE_FUND_MODULE_ACCOUNT, [{ denom: COLLATERAL_DENOM, amount }]);
    this.ledger(ctx, "deposit", amount, toBech32Address(ACCOUNT_PREFIX, sender), 0n);
    return this.fundBalance(ctx.store);
  }

  /** MsgWithdrawInsurance: the params authority only; refused (nothing changes) for anyone else. */
  withdraw(ctx: Context, authority: string, recipient: string, amount: bigint): bigint {
    const p = this.params(ctx.store);
    if (p.authority === "" || authority !== p.authority) {
      throw LiquidationErrors.unauthorized.with(`${authority.slice(0, 80)} is not the authority${p.authority === "" ? " (none is set)" : ` ${p.authority}`}`);
    }
    const to = parseBech32Address(recipient, ACCOUNT_PREFIX);
    if (this.deps.bank.isBlockedRecipient(ctx.store, to)) throw LiquidationErrors.blockedRecipient.with(`${recipient} is a module account`);
    const have = this.fundBalance(ctx.store);
    if (have < amount) throw LiquidationErrors.insufficientFund.with(`balance ${have}${COLLATERAL_DENOM} is smaller than ${amount}${COLLATERAL_DENOM}`);
    this.deps.bank.sendFromModule(ctx, INSURANCE_FUND_MODULE_ACCOUNT, to, [{ denom: COLLATERAL_DENOM, amount }]);
    this.ledger(ctx, "withdrawal", -amount, recipient, 0n);
    return this.fundBalance(ctx.store);
  }

  /** A takeover's deficit already moved by its applyUpdates batch (counterparty: the fund): ledger it. */
  ledgerTakeover(ctx: Context, amount: bigint, counterparty: string): void {
    this.ledger(ctx, "takeover", amount, counterparty, 0n);
  }

  /** Pays `amount` from the fund's bank balance into a subaccount's collateral (kind "liquidation": unchecked). */
  fundOut(ctx: Context, to: SubaccountId, amount: bigint, kind: InsuranceEntryKind, seriesId = 0n): void {
    if (amount <= 0n) return;
    if (amount > this.fundBalance(ctx.store)) throw SdkErrors.insufficientFunds.with(`insurance fund pays ${amount}`);
    this.subaccounts.applyUpdates(ctx, [{ id: to, collateralDelta: amount, positionDeltas: [] }], { kind: "liquidation", counterparty: this.fundAddress });
    this.ledger(ctx, kind, -amount, formatSubaccountId(to), seriesId);
  }

  /** Moves `amount` of a subaccount's collateral into the fund's bank balance. */
  fundIn(ctx: Context, from: SubaccountId, amount: bigint, kind: InsuranceEntryKind, seriesId = 0n): void {
    if (amount <= 0n) return;
    this.subaccounts.applyUpdates(ctx, [{ id: from, collateralDelta: -amount, positionDeltas: [] }], { kind: "liquidation", counterparty: this.fundAddress });
    this.ledger(ctx, kind, amount, formatSubaccountId(from), seriesId);
  }

  /** Genesis: the module account exists; a balance it already holds is ledgered as an opening deposit. */
  openFund(ctx: Context, historyEmpty: boolean): void {
    this.deps.accounts.ensureModuleAccount(ctx.store, INSURANCE_FUND_MODULE_ACCOUNT);
    const balance = this.fundBalance(ctx.store);
    if (historyEmpty && balance > 0n) this.ledger(ctx, "deposit", balance, "genesis", 0n);
  }

  // ---- settlement shortfall claims and the fund's subaccount ------------------------------------------------

  /**
   * Pays outstanding settlement shortfall claims in (series, owner, number) order, each as far as the fund's
   * balance allows; what is not paid stays recorded in options. Returns the total paid.
   */
  payClaims(ctx: Context): bigint {
    let balance = this.fundBalance(ctx.store);
    if (balance === 0n) return 0n;
    const claims = [...this.options.iterateClaims(ctx.store)];
    let paid = 0n;
    for (const c of claims) {
      if (balance === 0n) break;
      const pay = c.amountMicroUsdc < balance ? c.amountMicroUsdc : balance;
      if (pay <= 0n) continue;
      this.fundOut(ctx, { owner: c.owner, number: c.subaccountNumber }, pay, "claim_paid", c.seriesId);
      this.options.payClaim(ctx.store, c.seriesId, c.owner, c.subaccountNumber, pay);
      balance -= pay;
      paid += pay;
    }
    return paid;
  }

  /**
   * Keeps the fund's subaccount solvent from the fund's balance: negative collateral is topped up (as far as the
   * balance allows); positive collateral with no positions left (all expired or closed) returns to the balance.
   */
  reconcileFundSubaccount(ctx: Context): void {
    const f = this.fundSubaccount;
    const c = this.subaccounts.collateral(ctx.store, f);
    if (c < 0n) {
      const b = this.fundBalance(ctx.store);
      this.fundOut(ctx, f, -c < b ? -c : b, "fund_topup");
    } else if (c > 0n && this.subaccounts.positions(ctx.store, f).length === 0) {
      this.fundIn(ctx, f, c, "fund_sweep");
    }
  }

  /** Σ outstanding shortfall claims. */
  unpaidClaims(store: KVReader): bigint {
    let sum = 0n;
    for (const c of this.options.iterateClaims(store)) sum += c.amountMicroUsdc;
    return sum;
  }
}
