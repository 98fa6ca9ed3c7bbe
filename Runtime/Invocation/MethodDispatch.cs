using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;
using SpotOptimizer.Runtime.Activation;

namespace SpotOptimizer.Runtime.Invocation;

/// <summary>
/// Everything the runtime needs to send one grain interface method: a compiled invoker (no reflection per call),
/// its interleaving attributes, and its parameter types for copying.
/// </summary>
internal abstract class MethodDispatch
{
    private static readonly ConcurrentDictionary<MethodInfo, MethodDispatch> Cache = new();

    protected MethodDispatch(MethodInfo method)
    {
        Name = $"{method.DeclaringType!.Name}.{method.Name}";
        ParameterTypes = Array.ConvertAll(method.GetParameters(), p => p.ParameterType);
        IsReadOnly = method.IsDefined(typeof(ReadOnlyAttribute));
        IsAlwaysInterleave = method.IsDefined(typeof(AlwaysInterleaveAttribute));
        Invoke = Compile(method);
    }

    public string Name { get; }

    public Type[] ParameterTypes { get; }

    public bool IsReadOnly { get; }

    public bool IsAlwaysInterleave { get; }

    /// <summary>Calls the method on a grain instance with an argument array.</summary>
    public Func<object, object?[], Task> Invoke { get; }

    public static MethodDispatch For(MethodInfo method) => Cache.GetOrAdd(method, Create);

    /// <summary>Sends the call and returns the task the caller awaits (a Task, or Task&lt;T&gt; for value methods).</summary>
    public abstract Task Send(GrainRuntime runtime, GrainId target, object?[] arguments);

    private static MethodDispatch Create(MethodInfo method)
    {
        var resultType = GrainInterfaceValidator.IsTaskOfT(method.ReturnType)
            ? method.ReturnType.GetGenericArguments()[0]
            : null;
        var dispatchType = typeof(MethodDispatch<>).MakeGenericType(resultType ?? typeof(object));
        return (MethodDispatch)Activator.CreateInstance(dispatchType, method, resultType is not null)!;
    }

    private static Func<object, object?[], Task> Compile(MethodInfo method)
    {
        var grain = Expression.Parameter(typeof(object), "grain");
        var arguments = Expression.Parameter(typeof(object?[]), "arguments");
        var parameters = method.GetParameters().Select((p, i) =>
            Expression.Convert(Expression.ArrayIndex(arguments, Expression.Constant(i)), p.ParameterType));
        var call = Expression.Call(Expression.Convert(grain, method.DeclaringType!), method, parameters);
        return Expression.Lambda<Func<object, object?[], Task>>(Expression.Convert(call, typeof(Task)), grain, arguments).Compile();
    }
}
