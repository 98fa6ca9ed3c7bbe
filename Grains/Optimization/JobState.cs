using Orleans;
using SpotOptimizer.Grains.Interfaces.Clusters;
using SpotOptimizer.Grains.Interfaces.Optimization;

namespace SpotOptimizer.Grains.Optimization;

[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed class JobState
{
    public string? OrganizationId { get; set; }

    public string ClusterId { get; set; } = "";

    public string Actor { get; set; } = "";

    public string Trigger { get; set; } = "";

    public string? Impersonator { get; set; }

    /// <summary>The flag that started a proactive move (trigger pool_flagged); null for any other trigger.</summary>
    public FlagCause? Cause { get; set; }

    public string Status { get; set; } = JobStatus.Queued;

    public string Stage { get; set; } = JobStages.Detect;

    public bool DryRun { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public JobPlanView? Plan { get; set; }

    public List<JobActionView> Actions { get; set; } = [];

    public string? ErrorCode { get; set; }

    public string? Error { get; set; }

    /// <summary>Quoted to support: finds the failure's log lines (which hold the exception) without showing it to the customer.</summary>
    public string? ErrorReference { get; set; }
}
