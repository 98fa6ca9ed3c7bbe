using SpotOptimizer.Optimization.Market;
using SpotOptimizer.Optimization.Risk;

namespace SpotOptimizer.Optimization.Tests.Risk;

public sealed class DefaultModelContractTests
{
    [Fact]
    public void LoadDefault_EveryPoolAndHourOfAMarket_AnswersWithinContract()
    {
        var model = InterruptionModels.LoadDefault(TestModels.Reference).Model!;
        var book = TestModels.MomentumMarket(pools: 12, hours: 400, seed: 5);
        var grid = HourlyPriceGrid.Build(book, book.Start, 400);
        var answers = 0;

        for (var pool = 0; pool < grid.Pools.Count; pool++)
        {
            for (var hour = 1; hour < grid.Hours; hour += 7)
            {
                var history = grid.History(pool, hour, RiskFeatures.WindowHours).ToArray();
                if (history.Any(double.IsNaN)) continue;
                // Known types (advisor bucket and On-Demand price) and an unknown one, as the market offers both.
                foreach (var type in new[] { "m5.large", "r5.large", grid.Pools[pool].InstanceType })
                {
                    var request = InterruptionContract.RequestFor(type, grid.Pools[pool].AvailabilityZone, history, grid.TimeOf(hour));
                    var validation = ContractValidator.ValidatePrediction(model.Predict(request));
                    Assert.True(validation.IsValid, $"{type} at hour {hour}: {validation}");
                    answers++;
                }
            }
        }

        Assert.True(answers > 1000, $"only {answers} answers checked");
    }
}
