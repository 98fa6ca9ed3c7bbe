using System.Collections;
using System.Reflection;
using System.Text.Json;
using Orleans;
using Orleans.Serialization;
using SpotOptimizer.Grains.Clusters;
using SpotOptimizer.Grains.Interfaces.Clusters;

namespace SpotOptimizer.Grains.Tests.Contracts;

/// <summary>
/// Every message and state type crosses silos (and restarts) through the Orleans serializer: each one, filled with
/// non-default values in every member, must come back equal member by member (compared as JSON, which lists every
/// public property, so a member the generated codec forgot shows up as a difference).
/// </summary>
public sealed class SerializationRoundTripTests
{
    private static readonly Serializer Serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();

    public static TheoryData<string> ContractTypes()
    {
        var data = new TheoryData<string>();
        foreach (var type in SerializableTypes()) data.Add(type.FullName!);
        return data;
    }

    [Fact]
    public void Contracts_EveryMessageAndStateType_IsGeneratedSerializable()
    {
        var names = SerializableTypes().Select(t => t.Name).ToHashSet();
        // A sample of each kind: messages, grain state, state parts, feed events.
        Assert.Superset(new HashSet<string> { "ClusterDiscovery", "JobView", "ClusterState", "JobState", "MarketState", "FeedEvent", "MarketQuotes", "SleepingNode" }, names);
        // Every record of the contracts travels between silos; the grains' own records only where a state holds them.
        var records = typeof(IClusterGrain).Assembly.GetTypes().Where(t => t.IsPublic && t.GetMethod("<Clone>$") is not null);
        Assert.All(records, r => Assert.True(r.IsDefined(typeof(GenerateSerializerAttribute)), $"{r.Name} is a record without [GenerateSerializer]"));
    }

    [Theory]
    [MemberData(nameof(ContractTypes))]
    public void RoundTrip_FilledInstance_ComesBackEqual(string typeName)
    {
        var type = SerializableTypes().Single(t => t.FullName == typeName);
        var original = Sample.Of(type, depth: 0);

        var bytes = Serializer.SerializeToArray(original);
        var copy = typeof(Serializer).GetMethods().Single(m => m.Name == nameof(Serializer.Deserialize) && m.IsGenericMethod
                && m.GetParameters() is [{ ParameterType: var p }] && p == typeof(byte[]))
            .MakeGenericMethod(type).Invoke(Serializer, [bytes]);

        Assert.NotSame(original, copy);
        Assert.Equal(JsonSerializer.Serialize(original, type), JsonSerializer.Serialize(copy, type));
    }

    private static IEnumerable<Type> SerializableTypes() =>
        typeof(IClusterGrain).Assembly.GetTypes().Concat(typeof(ClusterGrain).Assembly.GetTypes())
            .Where(t => t.IsPublic && !t.IsEnum && t.IsDefined(typeof(GenerateSerializerAttribute)))
            .OrderBy(t => t.FullName, StringComparer.Ordinal);

    /// <summary>Builds an instance with a distinct, non-default value in every constructor parameter and settable property.</summary>
    private static class Sample
    {
        private static int _counter;

        public static object? Of(Type type, int depth)
        {
            var n = Interlocked.Increment(ref _counter);
            if (type == typeof(string)) return $"s{n}";
            if (type == typeof(int)) return n;
            if (type == typeof(long)) return (long)n;
            if (type == typeof(double)) return n + 0.5;
            if (type == typeof(bool)) return true;
            if (type == typeof(DateTimeOffset)) return new DateTimeOffset(2026, 12, 3, 10, 0, n % 60, TimeSpan.Zero);
            if (type == typeof(TimeSpan)) return TimeSpan.FromSeconds(n);
            if (Nullable.GetUnderlyingType(type) is { } inner) return Of(inner, depth);
            if (type.IsEnum) return Enum.GetValues(type).GetValue(Enum.GetValues(type).Length - 1);
            if (type.IsGenericType && type.GetGenericTypeDefinition() is var definition
                && (definition == typeof(IReadOnlyDictionary<,>) || definition == typeof(Dictionary<,>)))
            {
                var args = type.GetGenericArguments();
                var dictionary = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(args))!;
                dictionary[Of(args[0], depth + 1)!] = Of(args[1], depth + 1);
                return dictionary;
            }

            if (type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type))
            {
                var element = type.GetGenericArguments()[0];
                var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(element))!;
                if (depth < 4) list.Add(Of(element, depth + 1));
                return list;
            }

            return Build(type, depth);
        }

        private static object Build(Type type, int depth)
        {
            var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
            var instance = constructor.Invoke([.. constructor.GetParameters().Select(p => Of(p.ParameterType, depth + 1))]);
            var parameters = constructor.GetParameters().Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                         .Where(p => p.SetMethod is { IsPublic: true } && !parameters.Contains(p.Name)))
            {
                property.SetValue(instance, Of(property.PropertyType, depth + 1));
            }

            return instance;
        }
    }
}
