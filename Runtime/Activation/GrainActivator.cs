using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using SpotOptimizer.Runtime.Storage;

namespace SpotOptimizer.Runtime.Activation;

/// <summary>
/// Constructs grains: services from DI, <see cref="PersistentStateAttribute"/> parameters as state objects
/// that are read before the grain sees them.
/// </summary>
internal sealed class GrainActivator(IServiceProvider services, GrainTypeRegistry registry, IGrainStateStore store)
{
    private static readonly MethodInfo CreateStateMethod =
        typeof(GrainActivator).GetMethod(nameof(CreateState), BindingFlags.NonPublic | BindingFlags.Static)!;

    private readonly ConcurrentDictionary<Type, ConstructionPlan> _plans = new();

    public async Task<Grain> CreateAsync(ActivationData activation, CancellationToken cancellationToken)
    {
        var grainClass = registry.ForTypeName(activation.GrainId.Type);
        var plan = _plans.GetOrAdd(grainClass.ClassType, BuildPlan);
        var arguments = new object?[plan.Parameters.Length];
        var states = new List<IStateLoader>();
        for (var i = 0; i < arguments.Length; i++)
        {
            var parameter = plan.Parameters[i];
            if (parameter.StateName is null)
            {
                arguments[i] = services.GetRequiredService(parameter.Type);
                continue;
            }

            var state = parameter.CreateState!(parameter.StateName, activation.GrainId, store, activation.Runtime.Options);
            arguments[i] = state;
            states.Add(state);
        }

        var grain = (Grain)plan.Constructor.Invoke(arguments);
        grain.Bind(activation);
        foreach (var state in states) await state.ReadStateAsync(cancellationToken);
        return grain;
    }

    private static ConstructionPlan BuildPlan(Type classType)
    {
        var constructors = classType.GetConstructors();
        if (constructors.Length != 1) throw new InvalidOperationException($"Grain class {classType.Name} must have exactly one public constructor.");
        var parameters = constructors[0].GetParameters().Select(p =>
        {
            var stateName = p.GetCustomAttribute<PersistentStateAttribute>()?.StateName;
            if (stateName is null) return new ConstructorParameter(p.ParameterType, null, null);
            if (!p.ParameterType.IsGenericType || p.ParameterType.GetGenericTypeDefinition() != typeof(IPersistentState<>))
            {
                throw new InvalidOperationException($"{classType.Name}: [PersistentState] parameter '{p.Name}' must be an IPersistentState<T>.");
            }

            var factory = CreateStateMethod.MakeGenericMethod(p.ParameterType.GetGenericArguments()[0])
                .CreateDelegate<Func<string, GrainId, IGrainStateStore, GrainRuntimeOptions, IStateLoader>>();
            return new ConstructorParameter(p.ParameterType, stateName, factory);
        }).ToArray();
        return new ConstructionPlan(constructors[0], parameters);
    }

    private static IStateLoader CreateState<TState>(string name, GrainId grain, IGrainStateStore store, GrainRuntimeOptions options)
        where TState : new() =>
        new PersistentState<TState>(new GrainStateKey(grain.Type, grain.Key, name), store, options.SerializerOptions);

    private sealed record ConstructorParameter(
        Type Type,
        string? StateName,
        Func<string, GrainId, IGrainStateStore, GrainRuntimeOptions, IStateLoader>? CreateState);

    private sealed record ConstructionPlan(ConstructorInfo Constructor, ConstructorParameter[] Parameters);
}
