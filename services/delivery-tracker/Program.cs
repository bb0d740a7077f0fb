using OrdersMail.BuildingBlocks.Hosting;
using OrdersMail.DeliveryTracker;
using OrdersMail.DeliveryTracker.Delivery;
using OrdersMail.DeliveryTracker.FailedMail;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(DeliveryTrackerService.Info, bus => bus.AddDeliveryConsumers());
builder.AddDeliveryTracker();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapDelivery();
app.MapFailedMail();

await app.RunAsync();
