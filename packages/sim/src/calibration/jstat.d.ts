// The part of jstat (https://github.com/jstat/jstat, MIT) that the calibration uses; the package ships no types.
declare module "jstat" {
  interface JStat {
    readonly normal: { cdf(x: number, mean: number, sd: number): number };
    readonly studentt: { cdf(x: number, degreesOfFreedom: number): number };
    gammaln(x: number): number;
  }
  const jStat: { readonly jStat: JStat };
  export default jStat;
}
