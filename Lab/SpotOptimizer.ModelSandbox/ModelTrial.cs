using System.Diagnostics;
using SpotOptimizer.ModelServing;
using SpotOptimizer.Optimization.Lab;
using SpotOptimizer.Optimization.Risk;

namespace SpotOptimizer.ModelSandbox;

/// <summary>MOD-VAL-01 for an uploaded model: load it, score the trial batch, check every answer against contract v1.0.</summary>
internal static class ModelTrial
{
    private const string TrialVersion = "lab-trial";
    private const int ErrorsShown = 3;

    public static ModelTrialReport Run(string format, string path)
    {
        var clock = Stopwatch.StartNew();
        IModelScorer scorer;
        try
        {
            scorer = ModelScorers.Load(format, File.ReadAllBytes(path));
        }
        catch (ModelInterfaceException exception)
        {
            return ModelTrialReport.Failed(ModelChecks.ContractViolation, $"{format} model {exception.Message}", clock.Elapsed.TotalMilliseconds);
        }
        catch (Exception exception)
        {
            return ModelTrialReport.Failed(ModelChecks.Unreadable, $"not a loadable {format} model: {exception.GetType().Name}: {exception.Message.Trim()}", clock.Elapsed.TotalMilliseconds);
        }

        using (scorer)
        {
            var loadMs = clock.Elapsed.TotalMilliseconds;
            var requests = ModelTrialBatch.Requests;
            clock.Restart();
            ModelScores scores;
            try
            {
                scores = scorer.Score(ModelInterface.Features(requests), requests.Count);
            }
            catch (ModelInterfaceException exception)
            {
                return ModelTrialReport.Failed(ModelChecks.ContractViolation, $"{format} model {exception.Message}", loadMs, clock.Elapsed.TotalMilliseconds);
            }
            catch (Exception exception)
            {
                return ModelTrialReport.Failed(ModelChecks.Crashed, $"scoring threw {exception.GetType().Name}: {exception.Message.Trim()}", loadMs, clock.Elapsed.TotalMilliseconds);
            }

            return Check(requests, scores, loadMs, clock.Elapsed.TotalMilliseconds);
        }
    }

    private static ModelTrialReport Check(IReadOnlyList<InterruptionPredictionRequest> requests, ModelScores scores, double loadMs, double scoreMs)
    {
        if (scores.Probability.Length != requests.Count || scores.Confidence is { } c && c.Length != requests.Count)
        {
            return ModelTrialReport.Failed(ModelChecks.ContractViolation, $"answered {scores.Probability.Length} rows for {requests.Count}", loadMs, scoreMs);
        }

        var errors = new List<string>();
        var predictions = new List<InterruptionPrediction>();
        for (var i = 0; i < requests.Count; i++)
        {
            var prediction = ModelAnswers.For(requests[i], scores.Probability[i], scores.Confidence?[i], TrialVersion);
            var validation = ContractValidator.ValidatePrediction(prediction);
            if (!validation.IsValid) errors.Add($"row {i}{(i == 0 ? " (probe)" : "")}: {validation}");
            predictions.Add(prediction);
        }

        if (errors.Count > 0)
        {
            var shown = string.Join("; ", errors.Take(ErrorsShown));
            var more = errors.Count > ErrorsShown ? $" (and {errors.Count - ErrorsShown} more rows)" : "";
            return ModelTrialReport.Failed(ModelChecks.ContractViolation, $"breaks contract {InterruptionContract.Version}: {shown}{more}", loadMs, scoreMs);
        }

        var actions = predictions.GroupBy(p => p.RecommendedAction).ToDictionary(g => g.Key.ToString().ToUpperInvariant(), g => g.Count());
        return new ModelTrialReport(null, $"{requests.Count} rows answered within contract {InterruptionContract.Version}", requests.Count, loadMs, scoreMs,
            predictions.Average(p => p.InterruptionProbability), predictions.Average(p => p.ConfidenceScore), actions);
    }
}
