using OrdersMail.BuildingBlocks.Hosting;
using OrdersMail.OrdersApi;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(OrdersApiService.Info, bus => bus.AddOrdersApiConsumers());
builder.AddOrdersApi();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapOrdersApi();

await app.RunAsync();
