/**
 * The shape shared by statistics that are folded over paths in chunks (one chunk per worker, say) and then
 * combined: `init` an empty state, `add` one input, `merge` two states, read the `value`. A reducer whose `merge`
 * is exact gives the same value however the paths were split, which keeps a run's figures independent of the
 * worker count. `add` may update the state in place and returns it; `merge` returns a new state and leaves its
 * arguments untouched. Implemented by fixed-histogram.ts, whose test checks the merge property.
 */
export interface MergeableReducer<Input, State, Value> {
  readonly init: () => State;
  readonly add: (state: State, input: Input) => State;
  readonly merge: (left: State, right: State) => State;
  readonly value: (state: State) => Value;
}
