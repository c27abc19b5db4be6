/** Bank events in the Cosmos SDK 0.50 shapes that explorers and `searchTx` callers expect. */
import { event, type Event } from "../../src/types/events.js";
import { formatCoins, type Coin } from "../../src/math/coins.js";

export const coinSpent = (spender: string, coins: readonly Coin[]): Event =>
  event("coin_spent", { spender, amount: formatCoins(coins) });

export const coinReceived = (receiver: string, coins: readonly Coin[]): Event =>
  event("coin_received", { receiver, amount: formatCoins(coins) });

export const transfer = (sender: string, recipient: string, coins: readonly Coin[]): Event =>
  event("transfer", { recipient, sender, amount: formatCoins(coins) });

export const messageSender = (sender: string): Event => event("message", { sender });

export const coinbase = (minter: string, coins: readonly Coin[]): Event =>
  event("coinbase", { minter, amount: formatCoins(coins) });

export const burn = (burner: string, coins: readonly Coin[]): Event =>
  event("burn", { burner, amount: formatCoins(coins) });
