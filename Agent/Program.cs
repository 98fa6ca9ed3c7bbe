using Microsoft.Extensions.Hosting;
using SpotOptimizer.Agent;

// dotnet run --project Agent -- --api-url <url> --token <soa_…> [--kubeconfig <file>]
await AgentHost.Create(args).RunAsync();
