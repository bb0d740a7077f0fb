using OrdersMail.BuildingBlocks.Hosting;
using OrdersMail.DeliveryTracker;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(DeliveryTrackerService.Info);
builder.AddDeliveryTracker();

var app = builder.Build();
app.MapDefaultEndpoints();

await app.RunAsync();
