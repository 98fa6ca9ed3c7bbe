namespace SpotOptimizer.Grains;

/// <summary>A short id that ties what a customer is shown to the log lines holding the failure's details.</summary>
public static class ErrorReference
{
    public static string New() => "err_" + Guid.NewGuid().ToString("N")[..12];
}
