using System.Text.Json;

namespace SpotOptimizer.SimulatedKubernetes;

/// <summary>The API server's Status objects the simulated API answers with (written by hand: the library's V1Status converter only reads).</summary>
internal static class KubernetesStatus
{
    public const string ClusterNotFound =
        """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"the simulated cluster does not exist","reason":"NotFound","code":404}""";

    /// <summary>What a watch from a resourceVersion older than the watch cache gets: clients list again.</summary>
    public static string Expired(string requested, long oldest) =>
        Status("Failure", "Expired", $"too old resource version: {requested} ({oldest})", 410);

    /// <summary>What a list with a fieldSelector the resource does not support gets.</summary>
    public static string BadRequest(string message) => Status("Failure", "BadRequest", message, 400);

    public static (int, string) NotFound(string resource, string name) =>
        (404, Status("Failure", "NotFound", $"{resource} \"{name}\" not found", 404));

    public static (int, string) Invalid(string message) =>
        (422, Status("Failure", "Invalid", message, 422));

    public static (int, string) Created() => (201, Status("Success", null, null, 201));

    /// <summary>What a real API server answers when a PodDisruptionBudget refuses an eviction; clients retry it.</summary>
    public static (int, string) DisruptionBudget((string Budget, int Desired, int Healthy) blocked) =>
        (429, JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new { }, ["status"] = "Failure",
            ["message"] = "Cannot evict pod as it would violate the pod's disruption budget.",
            ["reason"] = "TooManyRequests",
            ["details"] = new { causes = new[] { new { reason = "DisruptionBudget", message = $"The disruption budget {blocked.Budget} needs {blocked.Desired} healthy pods and has {blocked.Healthy} currently" } } },
            ["code"] = 429,
        }));

    private static string Status(string status, string? reason, string? message, int code) =>
        JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new { }, ["status"] = status, ["message"] = message, ["reason"] = reason, ["code"] = code,
        });
}
