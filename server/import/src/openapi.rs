pub fn read(_t: &str, _title: &str) -> Result<squall_model::model::Board, crate::ImportError> {
    todo!()
}
