namespace SpotOptimizer.Cloud.Simulation;

/// <summary>
/// Injected failures, checked in the order they were added. Count-based rules fire on the next N matching calls;
/// probability-based rules draw from a <see cref="Random"/> seeded from the world, so a given call sequence fails
/// the same way on every run.
/// </summary>
internal sealed class FaultInjector(int seed)
{
    private readonly Lock _lock = new();
    private readonly List<Rule> _rules = [];
    private readonly Random _random = new(unchecked((seed * 397) ^ 0x5EED));

    public void Add(string operation, CloudException error, int? times, double probability, string? accountId)
    {
        lock (_lock) _rules.Add(new Rule(operation, error, accountId, probability) { Remaining = times });
    }

    /// <summary>A failure outside the cloud's error model (a provider library's bug): thrown as it is, never as a <see cref="CloudException"/>.</summary>
    public void AddCrash(string operation, string message, int times, string? accountId)
    {
        lock (_lock) _rules.Add(new Rule(operation, new CloudException("crash", message), accountId, 0) { Remaining = times, Crash = true });
    }

    public void Clear()
    {
        lock (_lock) _rules.Clear();
    }

    public void ThrowIfFaulted(string operation, string? accountId)
    {
        CloudException? error = null;
        var crash = false;
        lock (_lock)
        {
            foreach (var rule in _rules)
            {
                if (!rule.Matches(operation, accountId)) continue;
                if (rule.Remaining is { } remaining)
                {
                    rule.Remaining = remaining - 1;
                    error = rule.Error;
                    crash = rule.Crash;
                    break;
                }

                if (_random.NextDouble() < rule.Probability)
                {
                    error = rule.Error;
                    break;
                }
            }

            _rules.RemoveAll(r => r.Remaining <= 0);
        }

        if (crash) throw new InvalidOperationException(error!.Message);

        // A fresh exception per failure: one instance thrown on several threads would share a stack trace.
        if (error is not null)
            throw new CloudException(error.Code, error.Message, error.Retryable) { ProviderCode = error.ProviderCode, Operation = operation };
    }

    private sealed record Rule(string Operation, CloudException Error, string? AccountId, double Probability)
    {
        public int? Remaining { get; set; }

        public bool Crash { get; init; }

        public bool Matches(string operation, string? accountId) =>
            (Operation == CloudActions.Any || Operation == operation) && (AccountId is null || AccountId == accountId);
    }
}
