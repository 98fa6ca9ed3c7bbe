using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace SpotOptimizer.Cloud.Simulation;

/// <summary>
/// A snapshot as <see cref="AdoSimulatedWorldStore"/> stores it: JSON of the world, the sessions and the launches
/// (the version is the row's own column). Enums are written by name, so reordering one cannot change what a stored
/// world means; properties computed from others (<see cref="Ec2Instance.ClusterName"/>, <see cref="NodegroupScaling.IsValid"/> …)
/// are left out, as nothing could read them back and the whole document is rewritten on every change.
/// </summary>
internal static class SimulatedWorldJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(), new StringSetConverter() },
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { OmitComputedProperties } },
    };

    public static string Serialize(SimulatedWorldSnapshot snapshot) =>
        JsonSerializer.Serialize(new StoredWorld(snapshot.World, snapshot.Sessions, snapshot.Launches), Options);

    public static SimulatedWorldSnapshot Deserialize(long version, string json)
    {
        var stored = JsonSerializer.Deserialize<StoredWorld>(json, Options) ?? throw new JsonException("The stored simulated world is null.");
        return new SimulatedWorldSnapshot(version, stored.World) { Sessions = stored.Sessions, Launches = stored.Launches };
    }

    private static void OmitComputedProperties(JsonTypeInfo type)
    {
        if (type.Kind != JsonTypeInfoKind.Object) return;
        for (var i = type.Properties.Count - 1; i >= 0; i--)
        {
            if (type.Properties[i] is { Set: null, AssociatedParameter: null }) type.Properties.RemoveAt(i);
        }
    }

    /// <summary>System.Text.Json cannot create an <see cref="IReadOnlySet{T}"/> (a role's actions): read as a list into an ordinal set.</summary>
    private sealed class StringSetConverter : JsonConverter<IReadOnlySet<string>>
    {
        public override IReadOnlySet<string> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            (JsonSerializer.Deserialize<List<string>>(ref reader, options) ?? []).ToHashSet(StringComparer.Ordinal);

        public override void Write(Utf8JsonWriter writer, IReadOnlySet<string> value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize<IEnumerable<string>>(writer, value, options);
    }

    private sealed record StoredWorld(
        SimulatedWorld World,
        ImmutableDictionary<string, SimulatedSession> Sessions,
        ImmutableDictionary<string, SimulatedLaunch> Launches);
}
