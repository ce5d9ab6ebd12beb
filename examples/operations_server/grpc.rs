//! The gRPC front end: `google.longrunning.Operations` on tonic, through the
//! stubs cancelwire generates with its `grpc` feature.

use crate::flight_gateway::FlightGateway;
use crate::store::Store;
use cancelwire::longrunning::operations_server::{Operations, OperationsServer};
use cancelwire::longrunning::{
    CancelOperationRequest, DeleteOperationRequest, GetOperationRequest, ListOperationsRequest,
    ListOperationsResponse, Operation, WaitOperationRequest,
};
use cancelwire::wkt::Empty;
use std::sync::Arc;
use std::time::Duration;
use tonic::{Request, Response, Status};

pub struct GrpcOperations(pub Arc<Store>, pub Option<Arc<FlightGateway>>);

pub fn service(
    store: Arc<Store>,
    flight: Option<Arc<FlightGateway>>,
) -> OperationsServer<GrpcOperations> {
    OperationsServer::new(GrpcOperations(store, flight))
}

impl GrpcOperations {
    /// The Flight gateway, when `name` is one of its operations.
    fn flight(&self, name: &str) -> Option<&FlightGateway> {
        self.1
            .as_deref()
            .filter(|_| FlightGateway::command_of(name).is_some())
    }
}

/// Our `google.rpc.Status` as a tonic status: code, message and details
/// travel in `grpc-status-details-bin`.
fn to_tonic(status: cancelwire::rpc::Status) -> Status {
    status.into()
}

#[tonic::async_trait]
impl Operations for GrpcOperations {
    async fn list_operations(
        &self,
        request: Request<ListOperationsRequest>,
    ) -> Result<Response<ListOperationsResponse>, Status> {
        let r = request.into_inner();
        self.0
            .list(&r.name, &r.filter, r.page_size, &r.page_token)
            .map(Response::new)
            .map_err(to_tonic)
    }

    async fn get_operation(
        &self,
        request: Request<GetOperationRequest>,
    ) -> Result<Response<Operation>, Status> {
        let name = request.into_inner().name;
        if let Some(flight) = self.flight(&name) {
            return flight.get(&name).await.map(Response::new).map_err(to_tonic);
        }
        self.0.get(&name).map(Response::new).map_err(to_tonic)
    }

    async fn delete_operation(
        &self,
        request: Request<DeleteOperationRequest>,
    ) -> Result<Response<Empty>, Status> {
        self.0
            .delete(&request.into_inner().name)
            .map(|()| {
                Response::new(Empty {
                    ..Default::default()
                })
            })
            .map_err(to_tonic)
    }

    async fn cancel_operation(
        &self,
        request: Request<CancelOperationRequest>,
    ) -> Result<Response<Empty>, Status> {
        let name = request.into_inner().name;
        if let Some(flight) = self.flight(&name) {
            return flight
                .cancel(&name)
                .await
                .map(|()| {
                    Response::new(Empty {
                        ..Default::default()
                    })
                })
                .map_err(to_tonic);
        }
        self.0
            .cancel(&name)
            .map(|()| {
                Response::new(Empty {
                    ..Default::default()
                })
            })
            .map_err(to_tonic)
    }

    async fn wait_operation(
        &self,
        request: Request<WaitOperationRequest>,
    ) -> Result<Response<Operation>, Status> {
        let r = request.into_inner();
        if let Some(flight) = self.flight(&r.name) {
            // One poll: the Flight server long-polls itself, if it wants to.
            return flight
                .get(&r.name)
                .await
                .map(Response::new)
                .map_err(to_tonic);
        }
        let timeout = match r.timeout {
            None => None,
            Some(t) => Some(Duration::try_from(t).map_err(|e| {
                to_tonic(cancelwire::rpc::Status::invalid_argument(format!(
                    "timeout: {e}"
                )))
            })?),
        };
        self.0
            .wait(&r.name, timeout)
            .await
            .map(Response::new)
            .map_err(to_tonic)
    }
}
