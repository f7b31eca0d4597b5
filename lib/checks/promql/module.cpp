// The promql/* checks, in id order.
#include "checks/registry.h"
#include "checks/promql/absent.h"
#include "checks/promql/aggregate_by_name.h"
#include "checks/promql/and_absent.h"
#include "checks/promql/avg_of_quantiles.h"
#include "checks/promql/counter_without_rate.h"
#include "checks/promql/division_fudge.h"
#include "checks/promql/feature_flag.h"
#include "checks/promql/fragile_and_impossible.h"
#include "checks/promql/histogram_quantile.h"
#include "checks/promql/invalid.h"
#include "checks/promql/irate_in_rule.h"
#include "checks/promql/over_time_on_counter.h"
#include "checks/promql/range_too_short.h"
#include "checks/promql/rate_of_aggregate.h"
#include "checks/promql/rate_on_non_counter.h"
#include "checks/promql/regex.h"
#include "checks/promql/summary_sum_without_count.h"
#include "checks/promql/vector_matching.h"

namespace promvet::checks {

void register_promql_checks(Registry& r) {
  r.add(std::make_unique<AbsentCheck>());
  r.add(std::make_unique<AggregateByNameCheck>());
  r.add(std::make_unique<AndAbsentCheck>());
  r.add(std::make_unique<AvgOfQuantilesCheck>());
  r.add(std::make_unique<CounterWithoutRateCheck>());
  r.add(std::make_unique<DivisionFudgeCheck>());
  r.add(std::make_unique<FeatureFlagCheck>());
  r.add(std::make_unique<FragileAndImpossibleCheck>());
  r.add(std::make_unique<HistogramQuantileCheck>());
  r.add(std::make_unique<InvalidCheck>());
  r.add(std::make_unique<IrateInRuleCheck>());
  r.add(std::make_unique<OverTimeOnCounterCheck>());
  r.add(std::make_unique<RangeTooShortCheck>());
  r.add(std::make_unique<RateOfAggregateCheck>());
  r.add(std::make_unique<RateOnNonCounterCheck>());
  r.add(std::make_unique<RegexCheck>());
  r.add(std::make_unique<SummarySumWithoutCountCheck>());
  r.add(std::make_unique<VectorMatchingCheck>());
}

}  // namespace promvet::checks
