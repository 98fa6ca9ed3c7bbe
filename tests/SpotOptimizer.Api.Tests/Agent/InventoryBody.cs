using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using SpotOptimizer.Api.Tests.Sweeps;

namespace SpotOptimizer.Api.Tests.Agent;

/// <summary>A valid inventory as an agent sends it: three nodes (one On-Demand, two Spot) discovery has never seen, pods on them, two workloads.</summary>
public static class InventoryBody
{
    public const string SpotInstanceId = "i-0fedcba9876543210";

    public static JsonObject Valid() => new()
    {
        ["agent_version"] = "1.4.2",
        ["nodes"] = new JsonArray(
            Node("ip-10-0-1-10.ec2.internal", "i-0123456789abcdef0", "m5.xlarge", "us-east-1a", "on_demand"),
            Node("ip-10-0-2-20.ec2.internal", SpotInstanceId, "c5.xlarge", "us-east-1b", "spot"),
            Node("ip-10-0-3-30.ec2.internal", "i-0aaaabbbbccccdddd", "m5.large", "us-east-1c", "spot")),
        ["pods"] = new JsonArray(
            Pod("web-7d9f8c6b5-x2k4p", "ip-10-0-1-10.ec2.internal"),
            Pod("web-7d9f8c6b5-q8r2m", "ip-10-0-2-20.ec2.internal"),
            Pod("web-7d9f8c6b5-pending", null)),
        ["workloads"] = new JsonArray(
            new JsonObject
            {
                ["namespace"] = "shop", ["name"] = "web", ["kind"] = "Deployment", ["replicas"] = 3, ["one_replica_per_node"] = false,
                ["zone_max_skew"] = 1, ["pdb_min_available"] = 2,
                ["usage"] = new JsonObject
                {
                    ["window_days"] = 14, ["source"] = "metrics-server", ["cpu_p50_millicores"] = 40, ["cpu_p95_millicores"] = 70, ["cpu_p99_millicores"] = 90,
                    ["memory_p50_mib"] = 150, ["memory_p95_mib"] = 180, ["memory_p99_mib"] = 200,
                },
            },
            new JsonObject { ["namespace"] = "data", ["name"] = "cache", ["kind"] = "StatefulSet", ["replicas"] = 0, ["pdb_max_unavailable"] = 1 }),
        ["daemonset_overhead"] = new JsonObject { ["cpu_millicores"] = 150, ["memory_mib"] = 300, ["pods"] = 3 },
    };

    public static async Task<HttpResponseMessage> PostAsync(HttpClient http, string agentToken, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/agent/inventory") { Content = ProblemAssert.Json(json) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", agentToken);
        return await http.SendAsync(request);
    }

    public static JsonObject Node(string name, string instanceId, string type, string zone, string capacityType) => new()
    {
        ["name"] = name, ["instance_id"] = instanceId, ["instance_type"] = type, ["availability_zone"] = zone, ["capacity_type"] = capacityType,
        ["nodegroup"] = "general", ["allocatable"] = new JsonObject { ["cpu_millicores"] = 3920, ["memory_mib"] = 14_500, ["pods"] = 58 },
        ["taints"] = new JsonArray(), ["conditions"] = new JsonArray(), ["created_at"] = "2026-03-30T08:00:00Z", ["do_not_disrupt"] = false,
    };

    private static JsonObject Pod(string name, string? node) => new()
    {
        ["name"] = name, ["namespace"] = "shop", ["workload"] = "web", ["owner_kind"] = "Deployment", ["node"] = node,
        ["cpu_request_millicores"] = 250, ["memory_request_mib"] = 512, ["cpu_limit_millicores"] = 500, ["memory_limit_mib"] = 512,
        ["priority"] = 0, ["do_not_disrupt"] = false,
    };
}
