using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace SpotOptimizer.Cloud.Aws;

/// <summary>The retry policy of every AWS call: only <see cref="CloudException.Retryable"/> failures, jittered exponential backoff.</summary>
internal static partial class AwsRetry
{
    public static ResiliencePipeline Create(AwsCloudOptions options, TimeProvider time, ILogger logger)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = time };
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<CloudException>(e => e.Retryable),
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.MaxRetryDelay,
                OnRetry = args =>
                {
                    if (args.Outcome.Exception is CloudException e) LogRetry(logger, e.Operation, e.Code, e.ProviderCode, args.AttemptNumber + 1, args.RetryDelay);
                    return default;
                },
            });
        }

        return builder.Build();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retrying {Operation} after {Code} ({ProviderCode}), attempt {Attempt}, in {Delay}")]
    private static partial void LogRetry(ILogger logger, string? operation, string code, string? providerCode, int attempt, TimeSpan delay);
}
