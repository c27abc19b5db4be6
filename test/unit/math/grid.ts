/**
 * The acceptance grid for Black-Scholes accuracy: spot and strike over 1..1e6, time 1 hour..3 years, vol
 * 5%..300%, rate 0 and 5%, calls and puts. Strikes are spot x moneyness (where the accuracy matters) plus the
 * extreme absolute strikes 1 and 1e6 for every spot.
 */
export interface GridPoint {
  spot: number;
  strike: number;
  timeYears: number;
  vol: number;
  rate: number;
  isCall: boolean;
}

const HOUR = 1 / 8760;
export const GRID_SPOTS = [1, 7.3, 100, 2500.25, 65432.1, 1e6] as const;
export const GRID_MONEYNESS = [0.25, 0.5, 0.8, 0.9, 0.97, 1, 1.03, 1.1, 1.25, 2, 4] as const;
export const GRID_TIMES = [HOUR, 24 * HOUR, 7 / 365, 30 / 365, 0.25, 1, 3] as const;
export const GRID_VOLS = [0.05, 0.2, 0.8, 1.5, 3] as const;
export const GRID_RATES = [0, 0.05] as const;

/** Every point of the grid (about 10k), in a fixed order. */
export function fullGrid(): GridPoint[] {
  const out: GridPoint[] = [];
  for (const spot of GRID_SPOTS) {
    const strikes = [...new Set([1, ...GRID_MONEYNESS.map((m) => spot * m), 1e6])].filter((k) => k >= 1 && k <= 1e6);
    for (const strike of strikes)
      for (const timeYears of GRID_TIMES)
        for (const vol of GRID_VOLS)
          for (const rate of GRID_RATES)
            for (const isCall of [true, false]) out.push({ spot, strike, timeYears, vol, rate, isCall });
  }
  return out;
}

/** A deterministic spread-out subset (every `stride`-th point) for the unit tests. */
export function sampledGrid(stride: number): GridPoint[] {
  return fullGrid().filter((_, i) => i % stride === 0);
}
