/** Types for asciichart 1.5 (the package ships none). Only what gcrwatch uses. */
declare module 'asciichart' {
  interface PlotConfig {
    min?: number;
    max?: number;
    /** Number of row intervals: the plot has `height + 1` rows. */
    height?: number;
    /** Cells before the first data column; the axis sits at `offset - 1`. */
    offset?: number;
    padding?: string;
    format?: (value: number, row: number) => string;
    colors?: string[];
    /** [cross, tick, ..., horizontal, ╰, ╭, ╮, ╯, vertical] as asciichart orders them. */
    symbols?: string[];
  }
  interface AsciiChart {
    plot(series: number[] | number[][], cfg?: PlotConfig): string;
  }
  const asciichart: AsciiChart;
  export = asciichart;
}
