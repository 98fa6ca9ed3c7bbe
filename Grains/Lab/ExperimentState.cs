using Orleans;
using SpotOptimizer.Grains.Interfaces.Lab;

namespace SpotOptimizer.Grains.Lab;

[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed class ExperimentState
{
    public string? Kind { get; set; }

    public string OrganizationId { get; set; } = "";

    public string Actor { get; set; } = "";

    public string ClusterId { get; set; } = "";

    public string Status { get; set; } = ExperimentStatus.Running;

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? EndsAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>Once dry, always dry: an experiment never turns real half-way.</summary>
    public bool DryRun { get; set; }

    public string? Error { get; set; }

    public List<ArmState> Arms { get; set; } = [];

    public List<ExperimentPoint> Series { get; set; } = [];

    public List<SwitchStepView> Steps { get; set; } = [];

    public long Seq { get; set; }

    public int Ticks { get; set; }

    public DateTimeOffset? LastTick { get; set; }

    /// <summary>Interruption notices are read from here on (the previous tick's time).</summary>
    public DateTimeOffset NoticesSince { get; set; }

    public string? StoppedBy { get; set; }

    /// <summary>The live switch's plan, saved before its first step: once volumes are detached they cannot be read off the instance again.</summary>
    public LiveSwitchPlan? SwitchPlan { get; set; }

    /// <summary>The Spot price of the pool the live switch chose, when it chose it.</summary>
    public double? SwitchSpotPrice { get; set; }
}

[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed class ArmState
{
    public string Arm { get; set; } = "";

    public string ModelId { get; set; } = "";

    public string ModelVersion { get; set; } = "";

    public string OriginalInstanceId { get; set; } = "";

    public string OriginalType { get; set; } = "";

    public double OnDemandHourlyPrice { get; set; }

    public string CurrentInstanceId { get; set; } = "";

    /// <summary>Null while on the On-Demand original; under dry run, the pool the arm would run in.</summary>
    public string? Zone { get; set; }

    public string? InstanceType { get; set; }

    public double HourlyPrice { get; set; }

    /// <summary>Every instance this arm launched: the only ones besides its original it may drain or terminate.</summary>
    public List<string> Launched { get; set; } = [];

    /// <summary>Moves tried (each gets its own idempotency keys), whether or not they succeeded.</summary>
    public int Attempts { get; set; }

    public int Moves { get; set; }

    public double SavingsUsd { get; set; }

    public int Interruptions { get; set; }

    public double SpotHours { get; set; }

    public List<double> BootSeconds { get; set; } = [];

    /// <summary>One sample per tick: what the arm saved per hour (the savings side of the significance test).</summary>
    public List<double> HourlySavings { get; set; } = [];
}
