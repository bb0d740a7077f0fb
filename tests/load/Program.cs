using OrdersMail.Load;

// dotnet run -c Release --project tests/load -- [orders] [--count N] [--concurrency N] [--users N]
// dotnet run -c Release --project tests/load -- provisioning [--count N] [--latency-ms N] [--rate N]
var settings = LoadSettings.Parse(args);
return args.FirstOrDefault() == "provisioning"
    ? await ProvisioningBenchmark.RunAsync(settings)
    : await PlaceOrdersBenchmark.RunAsync(settings);
