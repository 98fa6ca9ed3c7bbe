namespace SpotOptimizer.SimulatedKubernetes;

/// <summary>The API server's Status objects the simulated API answers with (the library's V1Status converter only reads).</summary>
internal static class KubernetesStatus
{
    public const string NotFound =
        """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"the simulated cluster does not exist","reason":"NotFound","code":404}""";

    /// <summary>What a watch from a resourceVersion older than the watch cache gets: clients list again.</summary>
    public static string Expired(string requested, long oldest) =>
        $$"""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: {{System.Text.Json.JsonEncodedText.Encode(requested)}} ({{oldest}})","reason":"Expired","code":410}""";
}
