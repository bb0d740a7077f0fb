using OrdersMail.BuildingBlocks.Hosting;
using OrdersMail.BuildingBlocks.Inbox;
using OrdersMail.BuildingBlocks.Outbox;
using OrdersMail.DeliveryTracker;
using OrdersMail.DeliveryTracker.Delivery;
using OrdersMail.DeliveryTracker.Outbox;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(DeliveryTrackerService.Info, bus => bus.AddDeliveryConsumers());
builder.Services.AddProblemDetails();
builder.Services.AddOutbox(DeliveryTrackerOutbox.Messages);
builder.Services.AddProcessedMessages();
builder.Services.AddDelivery();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapDelivery();

await app.RunAsync();
