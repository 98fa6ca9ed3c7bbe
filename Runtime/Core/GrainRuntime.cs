using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpotOptimizer.Runtime.Activation;
using SpotOptimizer.Runtime.Diagnostics;
using SpotOptimizer.Runtime.Invocation;
using SpotOptimizer.Runtime.Reminders;
using SpotOptimizer.Runtime.Serialization;
using SpotOptimizer.Runtime.Storage;

namespace SpotOptimizer.Runtime;

/// <summary>The silo-local runtime: hands out grain references and owns the catalog, activator and reminders.</summary>
internal sealed class GrainRuntime : IGrainFactory, IGrainRuntimeStatistics, IDisposable
{
    private static readonly MethodDispatch ReceiveReminder =
        MethodDispatch.For(typeof(IRemindable).GetMethod(nameof(IRemindable.ReceiveReminder))!);

    public GrainRuntime(
        IServiceProvider services,
        IOptions<GrainRuntimeOptions> options,
        GrainTypeRegistry registry,
        TimeProvider time,
        ILoggerFactory loggerFactory,
        IGrainStateStore stateStore,
        IReminderTable reminderTable)
    {
        Options = options.Value;
        Options.Validate();
        Registry = registry;
        Time = time;
        Logger = loggerFactory.CreateLogger("SpotOptimizer.Runtime");
        Copier = Options.CopyMessagesViaSerializer ? new MessageCopier(Options.SerializerOptions) : null;
        Catalog = new Catalog(this);
        Activator = new GrainActivator(services, registry, stateStore);
        Reminders = new ReminderService(this, reminderTable);
        Instruments = new RuntimeInstruments(() => Catalog.MailboxDepth, () => Reminders.Count);
    }

    public GrainRuntimeOptions Options { get; }

    public GrainTypeRegistry Registry { get; }

    public TimeProvider Time { get; }

    public ILogger Logger { get; }

    /// <summary>Set when every message is copied through the serializer.</summary>
    public MessageCopier? Copier { get; }

    public Catalog Catalog { get; }

    public GrainActivator Activator { get; }

    public ReminderService Reminders { get; }

    public RuntimeInstruments Instruments { get; }

    public TGrainInterface GetGrain<TGrainInterface>(string key) where TGrainInterface : IGrainWithStringKey
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var grainClass = Registry.ForInterface(typeof(TGrainInterface));
        var proxy = System.Reflection.DispatchProxy.Create<TGrainInterface, GrainReferenceProxy>();
        var reference = (GrainReferenceProxy)(object)proxy!;
        reference.Runtime = this;
        reference.Target = new GrainId(grainClass.TypeName, key);
        return proxy;
    }

    public GrainRuntimeStatistics GetStatistics() =>
        new((int)Instruments.Activations, Catalog.MailboxDepth, Reminders.Count, Instruments.FailedCalls);

    public IReadOnlyDictionary<string, int> GetReminderCounts() => Reminders.CountByName();

    /// <summary>Delivers a message to the grain's current activation, creating one when needed.</summary>
    internal void Deliver(Message message)
    {
        while (!Catalog.GetOrCreate(message.Target).TryEnqueue(message))
        {
            // The activation was deactivated between look-up and enqueue; the next look-up finds or makes a fresh one.
        }
    }

    internal Task SendReminder(GrainId grain, string name, TickStatus status) => ReceiveReminder.Send(this, grain, [name, status]);

    public void Dispose()
    {
        Reminders.Dispose();
        Catalog.Dispose();
        Instruments.Dispose();
    }
}
