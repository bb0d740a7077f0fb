using OrdersMail.Load;

// dotnet run -c Release --project tests/load -- [orders] [--count N] [--concurrency N] [--users N]
var settings = LoadSettings.Parse(args);
return await PlaceOrdersBenchmark.RunAsync(settings);
