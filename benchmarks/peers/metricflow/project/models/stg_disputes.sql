select * from {{ source('commerce', 'disputes') }}
