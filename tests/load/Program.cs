using OrdersMail.Load;
using OrdersMail.Load.Scenarios;

// dotnet run -c Release --project tests/load -- [orders] [--count N] [--concurrency N] [--users N]
// dotnet run -c Release --project tests/load -- provisioning [--count N] [--latency-ms N] [--rate N]
// dotnet run -c Release --project tests/load -- scenarios [--small] [--only order-storm,footprint,inbound-storm,attack,hostile-provider] [--json out.json]
// dotnet run -c Release --project tests/load -- ingress [--count N] [--concurrency N] [--rate N] [--router URL] [--drain-timeout S] [--hold-orders-api]
// dotnet run -c Release --project tests/load -- relay [--count N] [--rate N] [--resend-rps N] [--tracker-dll PATH] [--sandbox-dll PATH]
var settings = LoadSettings.Parse(args);
return args.FirstOrDefault() switch
{
    "provisioning" => await ProvisioningBenchmark.RunAsync(settings),
    "scenarios" => await ScenarioCommand.RunAsync(args),
    "ingress" => await IngressBenchmark.RunAsync(settings, args),
    "relay" => await RelayBenchmark.RunAsync(settings, args),
    _ => await PlaceOrdersBenchmark.RunAsync(settings),
};
