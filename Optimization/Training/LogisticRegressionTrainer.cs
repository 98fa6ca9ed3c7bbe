using MathNet.Numerics.LinearAlgebra;

namespace SpotOptimizer.Optimization.Training;

/// <summary>A fitted logistic regression over standardised features.</summary>
public sealed record LogisticFit(double[] Means, double[] Scales, double[] Weights, double Intercept, int Iterations, bool Converged)
{
    public double Probability(ReadOnlySpan<double> x)
    {
        var z = Intercept;
        for (var i = 0; i < Weights.Length; i++) z += Weights[i] * (x[i] - Means[i]) / Scales[i];
        return z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));
    }
}

/// <summary>
/// L2-regularised logistic regression by Newton's method (iteratively reweighted least squares): the Hessian
/// <c>XᵀWX + λI</c> is small (features + 1 square), so each step is one pass over the data and one Cholesky solve.
/// The intercept is not penalised. Deterministic: no sampling.
/// </summary>
public static class LogisticRegressionTrainer
{
    public static LogisticFit Train(TrainingSet data, double l2 = 1.0, int maxIterations = 50, double tolerance = 1e-7)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(l2);
        if (data.Count == 0) throw new ArgumentException("no examples", nameof(data));
        var k = data.Width;
        var (means, scales) = Standardisation(data);
        var beta = Vector<double>.Build.Dense(k + 1);
        var z = new double[k + 1];
        var iterations = 0;
        var converged = false;
        while (iterations < maxIterations && !converged)
        {
            iterations++;
            var hessian = Matrix<double>.Build.Dense(k + 1, k + 1);
            var gradient = Vector<double>.Build.Dense(k + 1);
            for (var i = 0; i < data.Count; i++)
            {
                Standardise(data.Row(i), means, scales, z);
                var eta = 0.0;
                for (var j = 0; j <= k; j++) eta += beta[j] * z[j];
                var p = eta >= 0 ? 1 / (1 + Math.Exp(-eta)) : Math.Exp(eta) / (1 + Math.Exp(eta));
                var w = Math.Max(p * (1 - p), 1e-12);
                var residual = data.Labels[i] - p;
                for (var a = 0; a <= k; a++)
                {
                    gradient[a] += residual * z[a];
                    var wa = w * z[a];
                    for (var b = 0; b <= a; b++) hessian[a, b] += wa * z[b];
                }
            }

            for (var a = 0; a <= k; a++)
            {
                for (var b = 0; b < a; b++) hessian[b, a] = hessian[a, b];
                if (a < k) // the last slot is the intercept
                {
                    hessian[a, a] += l2;
                    gradient[a] -= l2 * beta[a];
                }
            }

            var step = hessian.Cholesky().Solve(gradient);
            beta += step;
            converged = step.AbsoluteMaximum() < tolerance;
        }

        return new LogisticFit(means, scales, beta.SubVector(0, k).ToArray(), beta[k], iterations, converged);
    }

    private static (double[] Means, double[] Scales) Standardisation(TrainingSet data)
    {
        var k = data.Width;
        var means = new double[k];
        var scales = new double[k];
        for (var i = 0; i < data.Count; i++)
        {
            var row = data.Row(i);
            for (var j = 0; j < k; j++) means[j] += row[j];
        }

        for (var j = 0; j < k; j++) means[j] /= data.Count;
        for (var i = 0; i < data.Count; i++)
        {
            var row = data.Row(i);
            for (var j = 0; j < k; j++) scales[j] += (row[j] - means[j]) * (row[j] - means[j]);
        }

        // A constant feature keeps scale 1: its standardised value is 0 and only the penalty sees its weight.
        for (var j = 0; j < k; j++)
        {
            var sd = Math.Sqrt(scales[j] / data.Count);
            scales[j] = sd > 1e-12 ? sd : 1;
        }

        return (means, scales);
    }

    private static void Standardise(ReadOnlySpan<double> row, double[] means, double[] scales, double[] into)
    {
        for (var j = 0; j < row.Length; j++) into[j] = (row[j] - means[j]) / scales[j];
        into[^1] = 1;
    }
}
